using Pipelines.Cli.Display;
using Pipelines.Cli.Output;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Commands;

/// <summary>
/// `pipelines image-classification --dataset FOLDER`: as mlnet's, the sub-folders of the folder are the classes. The
/// images are loaded (and every bad one found) before anything is written; the run then reuses them.
/// </summary>
internal sealed class ImageClassificationCommand(Terminal terminal, ReportHook report) : SearchCommand<ImageClassificationSettings>(terminal, report)
{
    protected override (RunSettings Settings, InputData Data) Resolve(ImageClassificationSettings o, Reporter reporter)
    {
        var size = o.ImageSize is { } text ? ImageSize.Parse(text) : (ImageSize?)null;
        if (o.MaxImagePixels is <= 0) throw CliException.Input($"--max-image-pixels {o.MaxImagePixels}: give a positive number of pixels, such as 16777216 (4096x4096).");
        var choices = CheckSearchOptions(o, images: true);
        var settings = ToSettings(o, choices, PredictionKind.MulticlassClassification, FullPath(o.Dataset), ExperimentFactory.LabelColumn) with
        {
            ImageSize = size?.ToString(),
            SkipCorruptImages = o.SkipCorruptImages,
            MaxImagePixels = o.MaxImagePixels,
        };
        return (settings, ImageInput.LoadFolders(new MLContext(settings.Seed), settings, reporter.Warning));
    }
}
