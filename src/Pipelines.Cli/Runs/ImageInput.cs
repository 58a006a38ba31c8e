using Pipelines.Torch.Data;

namespace Pipelines.Cli.Runs;

/// <summary>
/// An image-classification run's folders, each loaded with Pipelines.Torch's ImageFolder loader (one sub-folder per
/// class): the Label text, the ImagePath and the Features pixels. Validation and test images are read the way the
/// training images are (their colour mode, the same --image-size) and must come out the same shape, with classes the
/// training folder has.
/// </summary>
internal sealed record ImageInput(ImageFolderData Images, IDataView? ValidationImages, IDataView? TestImages, string Folder)
    : InputData(Images.Data, ValidationImages, TestImages)
{
    public const string Command = "image-classification";

    public static ImageInput LoadFolders(MLContext ml, RunSettings settings, Action<string> warn)
    {
        var size = settings.ImageSize is { } text ? ImageSize.Parse(text) : (ImageSize?)null;
        ImageFolderOptions Options(ImageColorMode color) => new()
        {
            Width = size?.Width, Height = size?.Height, ColorMode = color,
            OnCorruptImage = settings.SkipCorruptImages ? CorruptImageHandling.Skip : CorruptImageHandling.Fail,
            MaxPixels = settings.MaxImagePixels ?? ImageFolderOptions.DefaultMaxPixels,
        };
        var train = LoadFolder(ml, settings.Dataset, "--dataset", Options(ImageColorMode.Auto), warn);
        // A grey training set makes a one-channel network: colour images elsewhere are converted to fit it, and the
        // other way round.
        var color = train.Channels == 1 ? ImageColorMode.Grayscale : ImageColorMode.Rgb;
        IDataView? Other(string? folder, string option)
        {
            if (folder == null) return null;
            var other = LoadFolder(ml, folder, option, Options(color), warn);
            if (other.Height != train.Height || other.Width != train.Width)
                throw CliException.Input($"{option} images are {other.Width}x{other.Height} (width x height) but the --dataset images are " +
                    $"{train.Width}x{train.Height}. Pass --image-size WxH (for example --image-size {train.Width}x{train.Height}) to resize them all to one size.");
            var unknown = other.Classes.Except(train.Classes, StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
                throw CliException.Input($"{option} has class folder(s) {string.Join(", ", unknown.Select(c => $"'{c}'"))} that --dataset does not have; " +
                    $"the model can only predict the training classes ({string.Join(", ", train.Classes)}).");
            return other.Data;
        }
        return new ImageInput(train, Other(settings.ValidationDataset, "--validation-dataset"), Other(settings.TestDataset, "--test-dataset"), settings.Dataset);
    }

    /// <summary>The loader's errors, with the CLI's options where the loader names its API.</summary>
    static ImageFolderData LoadFolder(MLContext ml, string folder, string option, ImageFolderOptions options, Action<string> warn)
    {
        ImageFolderData data;
        try
        {
            data = ImageFolder.Load(ml, folder, options);
        }
        catch (DirectoryNotFoundException e)
        {
            throw CliException.Input($"{option}: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            throw CliException.Input($"{option}: {WithCliHint(e.Message)}");
        }
        if (data.Skipped.Count > 0)
            warn($"{option}: skipped {data.Skipped.Count} unreadable image(s) (--skip-corrupt-images):" +
                string.Concat(data.Skipped.Select(s => $"{Environment.NewLine}  {s.Path}: {s.Reason}")));
        return data;
    }

    /// <summary>The loader ends with how to fix the problem through its options; a CLI user fixes it with an option of the command.</summary>
    static string WithCliHint(string message)
    {
        (string Marker, string Hint)[] hints =
        {
            ("To leave such files out instead", "Pass --skip-corrupt-images to leave unreadable files out (each is named in a warning)."),
            ("A feature vector needs one shape", "Pass --image-size WxH (for example --image-size 28x28) to resize every image to one size."),
        };
        message = message.Replace($"{nameof(ImageFolderOptions)}.{nameof(ImageFolderOptions.MaxPixels)}", "--max-image-pixels", StringComparison.Ordinal);
        foreach (var (marker, hint) in hints)
        {
            int at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) return message[..at] + hint;
        }
        return message;
    }

    public override int TrainRows => RowsForTraining(Images.ImageCount, Validation != null);

    /// <summary>The sub-folder names become a key label; the pixels already are the features.</summary>
    public override IEstimator<ITransformer> BuildFeaturizer(MLContext ml) => ml.Transforms.Conversion.MapValueToKey("Label");
}
