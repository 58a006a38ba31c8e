namespace Pipelines.Cli.Tests;

/// <summary>
/// Bad image folders end with exit code 1 and one message that names the folder or file and the option that fixes it;
/// --skip-corrupt-images and --image-size then let the run go on.
/// </summary>
public sealed class ImageErrorTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    string Out => _temp.File("out");

    /// <summary>The cheapest search: one trial of one epoch of a narrow CNN.</summary>
    ToolResult Classify(string dataset, params string[] more) => Tool.Run(new[]
    {
        "image-classification", "--dataset", dataset, "--max-trials", "1", "--epochs", "1", "--batch-sizes", "16", "-o", Out,
    }.Concat(more).ToArray());

    /// <summary>Two classes of 8 Fashion-MNIST images.</summary>
    string TwoClasses(string name) => ImageFolders.Subset(_temp.File(name), new[] { "Bag", "Trouser" }, skip: 0, take: 8);

    [Fact]
    public void AMissingFolderIsNamed()
    {
        var missing = _temp.File("no-such-folder");
        Classify(missing).AssertOneClearError(1, "--dataset", missing, "does not exist", "one sub-folder per class");
        Assert.False(Directory.Exists(Out), "nothing is written for input that cannot run");
    }

    [Fact]
    public void AFolderWithoutClassSubFoldersSaysHowToLayItOut()
    {
        var loose = _temp.File("loose");
        File.Copy(Directory.GetFiles(Path.Combine(ImageFolders.FashionMnist, "Bag"))[0], Path.Combine(Directory.CreateDirectory(loose).FullName, "a.png"));
        Classify(loose).AssertOneClearError(1, "has no class sub-folders", "move them into a sub-folder named after their class");
    }

    [Fact]
    public void AClassWithoutImagesIsNamed()
    {
        var data = TwoClasses("empty-class");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(data, "Coat")).FullName, "notes.txt"), "no images here");
        Classify(data).AssertOneClearError(1, "Class folder 'Coat'", "has no PNG or JPEG images", "notes.txt");
    }

    [Fact]
    public void ACorruptImageIsNamedWithTheOptionThatSkipsIt()
    {
        var data = TwoClasses("corrupt");
        var broken = ImageFolders.Garbage(Path.Combine(data, "Bag", "broken.png"));
        var result = Classify(data);
        result.AssertOneClearError(1, broken, "cannot be decoded", "--skip-corrupt-images");
        // The loader's own hint names its API; the CLI user gets the option instead.
        Assert.DoesNotContain("ImageFolderOptions", result.StdErr);
    }

    [Fact]
    public void ImagesOfDifferentSizesNeedImageSize()
    {
        var data = TwoClasses("sizes");
        var wide = ImageFolders.Png(Path.Combine(data, "Trouser", "wide.png"), 40, 30);
        Classify(data).AssertOneClearError(1, "Images differ in size", wide, "40x30", "--image-size");
    }

    [Fact]
    public void SkipCorruptImagesAndImageSizeLetTheRunGoOnAndSaySo()
    {
        var data = TwoClasses("repairable");
        var broken = ImageFolders.Garbage(Path.Combine(data, "Bag", "broken.png"));
        var empty = Path.Combine(data, "Trouser", "empty.png");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        ImageFolders.Png(Path.Combine(data, "Trouser", "wide.png"), 40, 30);

        var result = Classify(data, "--skip-corrupt-images", "--image-size", "28x28");
        result.AssertExitCode(0);
        Assert.Contains("warning: --dataset: skipped 2 unreadable image(s) (--skip-corrupt-images):", result.StdErr);
        Assert.Contains(broken, result.StdErr);
        Assert.Contains(empty + ": the file is empty", result.StdErr);
        Assert.Contains("Data: 17 images in 2 classes", result.StdOut);
        var settings = File.ReadAllText(Path.Combine(Out, "settings.json"));
        Assert.Contains("\"imageSize\": \"28x28\"", settings);
        Assert.Contains("\"skipCorruptImages\": true", settings);
    }

    [Fact]
    public void ATrainTimeTooShortForOneTrialSaysSo()
    {
        var data = ImageFolders.Subset(_temp.File("slow"), new[] { "Bag", "Coat", "Sandal" }, skip: 0, take: 60);
        var result = Tool.Run("image-classification", "--dataset", data, "--epochs", "30", "--batch-sizes", "16", "--train-time", "1", "-o", Out);
        result.AssertOneClearError(3, "ended before any trial finished", "--train-time");
        Assert.True(File.Exists(Path.Combine(Out, "study.db")));
    }

    [Fact]
    public void OptionValuesAndOtherFoldersAreChecked()
    {
        var data = TwoClasses("train");
        Classify(data, "--image-size", "28").AssertOneClearError(1, "--image-size '28'", "WIDTHxHEIGHT");
        Classify(data, "--image-size", "0x28").AssertOneClearError(1, "--image-size 0x28", "at least 1 pixel");
        Classify(data, "--metric", "auc").AssertOneClearError(1, "--metric", "MicroAccuracy");
        Classify(data, "--trainers", "torch-cnn,xgboost").AssertOneClearError(1, "Unknown trainer 'xgboost'", "torch-cnn");

        var other = ImageFolders.Subset(_temp.File("other"), new[] { "Bag", "Coat" }, skip: 20, take: 3);
        Classify(data, "--validation-dataset", other).AssertOneClearError(1, "--validation-dataset", "'Coat'", "Bag, Trouser");
        Classify(data, "--test-dataset", _temp.File("no-test")).AssertOneClearError(1, "--test-dataset", "does not exist");
        var big = ImageFolders.Png(Path.Combine(_temp.File("big"), "Bag", "a.png"), 32, 32);
        ImageFolders.Png(Path.Combine(_temp.File("big"), "Trouser", "b.png"), 32, 32);
        Classify(data, "--test-dataset", _temp.File("big")).AssertOneClearError(1, "--test-dataset images are 32x32", "--image-size");

        // The CNN needs images: a data file is refused with the command to use.
        Tool.Run("classification", "--dataset", Tool.Dataset("iris.csv"), "--label-col", "species", "--trainers", "torch-cnn", "-o", Out).AssertOneClearError(
            1, "torch-cnn trains on images", "pipelines image-classification");
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void CommandLineMistakesAreUsageErrors()
    {
        Tool.Run("image-classification", "--max-trials", "1").AssertOneClearError(2, "missing required option 'dataset'");
        Tool.Run("image-classification", "--dataset", "x", "--label-col", "y").AssertOneClearError(2, "Unknown option 'label-col'");
    }
}
