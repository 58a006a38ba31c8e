using System.Diagnostics;

namespace Pipelines.Cli.Tests.Reliability;

/// <summary>
/// An image of 69 bytes whose PNG header declares 100000x100000 pixels (40 GB decoded): refused from its header,
/// named, with the option that raises the limit, before any pixel is decoded and before the folder is touched.
/// </summary>
public sealed class HugeImageTests : IDisposable
{
    /// <summary>A valid signature, IHDR (100000 x 100000, 8-bit RGBA, CRC right), a tiny IDAT and IEND.</summary>
    const string HugePng = "iVBORw0KGgoAAAANSUhEUgABhqAAAYagCAYAAACoUgvIAAAADElEQVR4nGNgoAwAAABAAAG3NHzvAAAAAElFTkSuQmCC";

    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AnImageWhoseHeaderDeclaresTooManyPixelsIsRefusedBeforeDecoding()
    {
        var data = ImageFolders.Subset(_temp.File("images"), new[] { "Bag", "Trouser" }, skip: 0, take: 8);
        var huge = Path.Combine(data, "Bag", "huge.png");
        File.WriteAllBytes(huge, Convert.FromBase64String(HugePng));
        var output = _temp.File("out");

        var clock = Stopwatch.StartNew();
        var result = Tool.Run("image-classification", "--dataset", data, "--max-trials", "1", "--epochs", "1", "--batch-sizes", "16", "-o", output);

        result.AssertOneClearError(1, huge, "100000x100000", "--max-image-pixels (16777216)");
        Assert.False(Directory.Exists(output), result.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void ALimitBelowTheImagesNamesTheFirstImageOverIt()
    {
        var data = ImageFolders.Subset(_temp.File("images"), new[] { "Bag", "Trouser" }, skip: 0, take: 8);
        var result = Tool.Run("image-classification", "--dataset", data, "--max-image-pixels", "100", "--max-trials", "1", "-o", _temp.File("out"));
        result.AssertOneClearError(1, "28x28", "--max-image-pixels (100)");
    }
}
