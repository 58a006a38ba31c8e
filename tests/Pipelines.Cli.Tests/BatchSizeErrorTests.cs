namespace Pipelines.Cli.Tests;

/// <summary>`pipelines batch-size` with bad input: exit code 1 and one message that names the option, file or value.</summary>
public sealed class BatchSizeErrorTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    string Out => _temp.File("out");

    ToolResult Sweep(params string[] more) =>
        Tool.Run(new[] { "batch-size", "-o", Out, "--max-epochs", "1", "--batch-sizes", "16,32" }.Concat(more).ToArray());

    ToolResult SweepCancer(params string[] more) =>
        Sweep(new[] { "--dataset", Tool.Dataset("breast-cancer.csv"), "--label-col", "label" }.Concat(more).ToArray());

    [Fact]
    public void AMissingDatasetIsNamedAndNothingIsWritten()
    {
        var missing = _temp.File("nope.csv");
        Sweep("--dataset", missing, "--label-col", "label").AssertOneClearError(1, "--dataset", missing);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void ADataFileNeedsALabelThatExists()
    {
        Sweep("--dataset", Tool.Dataset("iris.csv")).AssertOneClearError(1, "--label-col is required");
        Sweep("--dataset", Tool.Dataset("iris.csv"), "--label-col", "specis").AssertOneClearError(1, "'specis' was not found");
    }

    [Theory]
    [InlineData("--batch-sizes", "64..16", "the minimum 64 is greater than the maximum 16")]
    [InlineData("--batch-sizes", "16,x", "'x' is not a batch size")]
    [InlineData("--target", "-1", "--target -1")]
    [InlineData("--train-time", "0", "--train-time 0")]
    [InlineData("--max-epochs", "0", "--max-epochs 0")]
    [InlineData("--trainer", "fasttree", "--trainer 'fasttree'")]
    [InlineData("--trainer", "torch-cnn", "torch-cnn trains on images")]
    [InlineData("--trial", "2", "--trial needs --from-study")]
    [InlineData("--device", "cuda:7", "--device cuda:7")]
    public void ABadOptionValueIsNamed(string option, string value, string message)
    {
        // --batch-sizes is given twice when it is the option under test: the last one wins.
        SweepCancer(option, value).AssertOneClearError(1, message);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void AStudyFolderWithoutARunIsRefused()
    {
        var empty = _temp.File("empty");
        Directory.CreateDirectory(empty);
        SweepCancer("--from-study", empty).AssertOneClearError(1, empty, "settings.json is missing");
    }

    [Fact]
    public void AFolderHoldingASweepIsRefusedUnlessForcedAndARunFolderAlways()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "batch-size.json"), "{}");
        SweepCancer().AssertOneClearError(1, "holds another batch-size sweep", "--force");
        File.Delete(Path.Combine(Out, "batch-size.json"));
        File.WriteAllText(Path.Combine(Out, "settings.json"), "{}");
        SweepCancer("--force").AssertOneClearError(1, "holds a search run");
    }

    [Fact]
    public void ImageOptionsOnADataFileAreRefused()
    {
        SweepCancer("--image-size", "28x28").AssertOneClearError(1, "--image-size", "image folder");
    }
}
