using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch.Data;
using SkiaSharp;

namespace Pipelines.Torch.Tests;

public sealed class ImageFolderTests : IDisposable
{
    static readonly string FashionPng = TestData.Path("fashion-mnist-png");

    static readonly string[] FashionClasses =
        { "Ankle_boot", "Bag", "Coat", "Dress", "Pullover", "Sandal", "Shirt", "Sneaker", "T-shirt_top", "Trouser" };

    readonly string _dir = Directory.CreateTempSubdirectory("pipelines-imgfolder-").FullName;
    readonly MLContext _ml = new(seed: 1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ---- helpers: test images written with SkiaSharp (the same library the loader decodes with) ----

    string Folder(params string[] parts)
    {
        var path = Path.Combine(new[] { _dir }.Concat(parts).ToArray());
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A solid-colour image file; the format follows the extension (.png or .jpg/.jpeg).</summary>
    static string WriteSolid(string folder, string name, int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(color);
        var format = Path.GetExtension(name).ToLowerInvariant() == ".png" ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
        using var data = bitmap.Encode(format, 95);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    static string CopyFashion(string className, string file, string toFolder)
    {
        var target = Path.Combine(toFolder, file);
        File.Copy(Path.Combine(FashionPng, className, file), target);
        return target;
    }

    static List<float[]> Features(IDataView view, string column = "Features") => view.GetColumn<float[]>(column).ToList();

    static List<string> Texts(IDataView view, string column) => view.GetColumn<ReadOnlyMemory<char>>(column).Select(m => m.ToString()).ToList();

    // ---- the real dataset ----

    [Fact]
    public void LoadsTheFashionMnistPngFolder()
    {
        var data = ImageFolder.Load(_ml, FashionPng);
        Assert.Equal(FashionClasses, data.Classes);
        Assert.Equal((1, 28, 28), (data.Channels, data.Height, data.Width));
        Assert.Equal(1000, data.ImageCount);
        Assert.Empty(data.Skipped);
        Assert.Equal(1000, data.Data.GetRowCount());

        var featureType = (VectorDataViewType)data.Data.Schema["Features"].Type;
        Assert.Equal(new[] { 1, 28, 28 }, featureType.Dimensions);
        Assert.Equal(NumberDataViewType.Single, featureType.ItemType);
        Assert.Equal(TextDataViewType.Instance, data.Data.Schema["Label"].Type);
        Assert.Equal(TextDataViewType.Instance, data.Data.Schema["ImagePath"].Type);

        // Rows: by class (ordinal), then file name; 100 per class.
        var labels = Texts(data.Data, "Label");
        Assert.Equal(FashionClasses.SelectMany(c => Enumerable.Repeat(c, 100)), labels);
        var paths = Texts(data.Data, "ImagePath");
        Assert.Equal(Path.Combine(Path.GetFullPath(FashionPng), "Ankle_boot", "00000.png"), paths[0]);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(labels[i], Path.GetFileName(Path.GetDirectoryName(paths[i]))));
        Assert.Equal(paths.Where(p => p.Contains("/Bag/")).Order(StringComparer.Ordinal), paths.Where(p => p.Contains("/Bag/")));
    }

    // Bytes of row 14 (0-based) and the sum of all 784 bytes of three images, read once from Fashion-MNIST's
    // t10k-images-idx3-ubyte.gz (the IDX source of datasets/fashion-mnist-png, not in this repository). PNG is
    // lossless, so the loader must give exactly byte / 255.
    public static TheoryData<string, int, byte[]> IdxPixels => new()
    {
        {
            "Ankle_boot/00000.png", 33456, // t10k index 0, label 9
            new byte[] { 0, 0, 0, 0, 0, 0, 2, 4, 1, 0, 0, 0, 98, 136, 110, 109, 110, 162, 135, 144, 149, 159, 167, 144, 158, 169, 119, 0 }
        },
        {
            "Sneaker/00009.png", 25492, // t10k index 9, label 7
            new byte[] { 37, 125, 103, 111, 124, 129, 111, 85, 97, 119, 117, 103, 107, 114, 136, 160, 172, 181, 188, 197, 186, 147, 111, 94, 112, 170, 203, 76 }
        },
        {
            "Trouser/00002.png", 51520, // t10k index 2, label 1
            new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 228, 243, 172, 0, 0, 57, 249, 222, 255, 111, 0, 0, 0, 0, 0, 0, 0, 0 }
        },
    };

    [Theory]
    [MemberData(nameof(IdxPixels))]
    public void PngPixelsEqualTheIdxSourceExactly(string file, int byteSum, byte[] row14)
    {
        var data = ImageFolder.Load(_ml, FashionPng);
        var paths = Texts(data.Data, "ImagePath");
        int row = paths.IndexOf(Path.Combine(Path.GetFullPath(FashionPng), file));
        Assert.True(row >= 0, $"{file} not loaded");
        var pixels = Features(data.Data)[row];
        Assert.Equal(784, pixels.Length);
        Assert.Equal(row14.Select(b => b / 255f), pixels.Skip(14 * 28).Take(28));
        Assert.Equal(byteSum, pixels.Sum(p => (int)Math.Round(p * 255)));
        Assert.All(pixels, p => Assert.Equal((float)Math.Round(p * 255) / 255f, p));
    }

    [Fact]
    public void CatalogExtensionGivesTheSameDataView()
    {
        var view = _ml.Data.LoadFromImageFolder(FashionPng);
        Assert.Equal(1000, view.GetRowCount());
        Assert.Equal(new[] { 1, 28, 28 }, ((VectorDataViewType)view.Schema["Features"].Type).Dimensions);
    }

    [Fact]
    public void WorksInAnMLNetPipeline()
    {
        var data = ImageFolder.Load(_ml, FashionPng);
        // Rows come sorted by class, so MapValueToKey's order of occurrence is the Classes order.
        var keyed = _ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(data.Data).Transform(data.Data);
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        keyed.Schema["Key"].GetKeyValues(ref keyValues);
        Assert.Equal(data.Classes, keyValues.DenseValues().Select(v => v.ToString()));

        // Random access: shuffling and a split keep every row once.
        var shuffled = _ml.Data.ShuffleRows(data.Data, seed: 3);
        var shuffledPaths = Texts(shuffled, "ImagePath");
        Assert.NotEqual(Texts(data.Data, "ImagePath"), shuffledPaths);
        Assert.Equal(Texts(data.Data, "ImagePath").Order(), shuffledPaths.Order());
        var split = _ml.Data.TrainTestSplit(data.Data, testFraction: 0.2, seed: 3);
        Assert.Equal(1000, Texts(split.TrainSet, "Label").Count + Texts(split.TestSet, "Label").Count);

        // Features and label stay together under shuffling.
        var byPath = Texts(data.Data, "ImagePath").Zip(Features(data.Data)).ToDictionary(p => p.First, p => p.Second);
        foreach (var (path, pixels) in shuffledPaths.Zip(Features(shuffled)).Take(20))
            Assert.Equal(byPath[path], pixels);
    }

    [Fact]
    public void ColumnNamesCanBeChosen()
    {
        var data = ImageFolder.Load(_ml, FashionPng, new ImageFolderOptions { LabelColumnName = "Class", FeatureColumnName = "Pixels", ImagePathColumnName = "File" });
        Assert.Equal(new[] { "Class", "File", "Pixels" }, data.Data.Schema.Select(c => c.Name));
        Assert.Throws<ArgumentException>(() => ImageFolder.Load(_ml, FashionPng, new ImageFolderOptions { LabelColumnName = "Features" }));
    }

    // ---- JPEG, colour, resize ----

    [Fact]
    public void LoadsColourJpegsAsThreePlanarChannels()
    {
        WriteSolid(Folder("red"), "a.jpg", 16, 12, new SKColor(200, 30, 30));
        WriteSolid(Folder("red"), "b.JPEG", 16, 12, new SKColor(210, 20, 40));
        WriteSolid(Folder("blue"), "c.jpeg", 16, 12, new SKColor(20, 40, 220));
        var data = ImageFolder.Load(_ml, _dir);
        Assert.Equal(new[] { "blue", "red" }, data.Classes);
        Assert.Equal((3, 12, 16), (data.Channels, data.Height, data.Width));
        Assert.Equal(new[] { 3, 12, 16 }, ((VectorDataViewType)data.Data.Schema["Features"].Type).Dimensions);
        Assert.Equal(new[] { "blue", "red", "red" }, Texts(data.Data, "Label"));

        var blue = Features(data.Data)[0];
        int n = 12 * 16;
        // Planar CHW: the whole R plane, then G, then B. JPEG is lossy: compare roughly.
        Assert.All(blue.Take(n), v => Assert.InRange(v, 20 / 255f - 0.03f, 20 / 255f + 0.03f));
        Assert.All(blue.Skip(n).Take(n), v => Assert.InRange(v, 40 / 255f - 0.03f, 40 / 255f + 0.03f));
        Assert.All(blue.Skip(2 * n), v => Assert.InRange(v, 220 / 255f - 0.03f, 220 / 255f + 0.03f));
    }

    [Fact]
    public void GrayscaleModeTurnsColourIntoLuma()
    {
        WriteSolid(Folder("red"), "a.png", 8, 8, new SKColor(200, 30, 30));
        WriteSolid(Folder("grey"), "b.png", 8, 8, new SKColor(77, 77, 77));
        var auto = ImageFolder.Load(_ml, _dir);
        Assert.Equal(3, auto.Channels);
        // A grey image in a colour data set repeats its value in R, G and B.
        Assert.All(Features(auto.Data)[0], v => Assert.Equal(77 / 255f, v));

        var grey = ImageFolder.Load(_ml, _dir, new ImageFolderOptions { ColorMode = ImageColorMode.Grayscale });
        Assert.Equal(1, grey.Channels);
        Assert.Equal(new[] { 1, 8, 8 }, ((VectorDataViewType)grey.Data.Schema["Features"].Type).Dimensions);
        var pixels = Features(grey.Data);
        Assert.All(pixels[0], v => Assert.Equal(77 / 255f, v));
        Assert.All(pixels[1], v => Assert.Equal((0.299f * 200 + 0.587f * 30 + 0.114f * 30) / 255f, v, 1e-5f));
    }

    [Fact]
    public void RgbModeRepeatsGreyImagesInThreeChannels()
    {
        CopyFashion("Bag", "00018.png", Folder("Bag"));
        CopyFashion("Coat", "00006.png", Folder("Coat"));
        var data = ImageFolder.Load(_ml, _dir, new ImageFolderOptions { ColorMode = ImageColorMode.Rgb });
        Assert.Equal((3, 28, 28), (data.Channels, data.Height, data.Width));
        var pixels = Features(data.Data)[1];
        Assert.Equal(pixels.Take(784), pixels.Skip(784).Take(784));
        Assert.Equal(pixels.Take(784), pixels.Skip(2 * 784));
    }

    [Fact]
    public void ResizeGivesTheRequestedShape()
    {
        var fashion = ImageFolder.Load(_ml, FashionPng, new ImageFolderOptions { Width = 14, Height = 20 });
        Assert.Equal((1, 20, 14), (fashion.Channels, fashion.Height, fashion.Width));
        Assert.Equal(new[] { 1, 20, 14 }, ((VectorDataViewType)fashion.Data.Schema["Features"].Type).Dimensions);
        Assert.Equal(20 * 14, Features(fashion.Data)[0].Length);

        // Images of different sizes are fine once a size is set; a solid colour stays that colour.
        WriteSolid(Folder("a"), "big.png", 40, 30, new SKColor(10, 120, 250));
        WriteSolid(Folder("b"), "small.jpg", 5, 7, new SKColor(128, 128, 128));
        var mixed = ImageFolder.Load(_ml, _dir, new ImageFolderOptions { Width = 8, Height = 6 });
        Assert.Equal((3, 6, 8), (mixed.Channels, mixed.Height, mixed.Width));
        var big = Features(mixed.Data)[0];
        Assert.All(big.Take(48), v => Assert.Equal(10 / 255f, v, 0.01f));
        Assert.All(big.Skip(96), v => Assert.Equal(250 / 255f, v, 0.01f));
    }

    // ---- bad input ----

    [Fact]
    public void MissingFolderIsNamed()
    {
        var missing = Path.Combine(_dir, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(_ml, missing));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void FolderWithoutClassSubFoldersSaysWhatItExpects()
    {
        CopyFashion("Bag", "00018.png", _dir);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_ml, _dir));
        Assert.Contains("no class sub-folders", e.Message);
        Assert.Contains("one sub-folder per class", e.Message);
        Assert.Contains("1 image(s) directly", e.Message);
    }

    [Fact]
    public void OneClassIsNotEnough()
    {
        CopyFashion("Bag", "00018.png", Folder("Bag"));
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_ml, _dir));
        Assert.Contains("'Bag'", e.Message);
        Assert.Contains("at least 2 classes", e.Message);
    }

    [Fact]
    public void ClassWithoutImagesIsNamedWithWhatItHolds()
    {
        CopyFashion("Bag", "00018.png", Folder("Bag"));
        File.WriteAllText(Path.Combine(Folder("Coat"), "notes.txt"), "no images here");
        Folder("Coat", "nested");
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_ml, _dir));
        Assert.Contains("Class folder 'Coat'", e.Message);
        Assert.Contains("no PNG or JPEG images", e.Message);
        Assert.Contains("'notes.txt'", e.Message);
        Assert.Contains("'nested/'", e.Message);
    }

    public static TheoryData<string, byte[], string> CorruptFiles()
    {
        var png = File.ReadAllBytes(Path.Combine(FashionPng, "Coat", "00006.png"));
        return new()
        {
            { "noise.png", Enumerable.Range(0, 300).Select(i => (byte)(i * 37)).ToArray(), "cannot be decoded" },
            { "truncated.png", png[..(png.Length / 2)], "truncated" },
            { "empty.jpg", Array.Empty<byte>(), "empty" },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void CorruptImageFailsNamingTheFile(string name, byte[] bytes, string reason)
    {
        CopyFashion("Bag", "00018.png", Folder("Bag"));
        var coat = Folder("Coat");
        CopyFashion("Coat", "00006.png", coat);
        File.WriteAllBytes(Path.Combine(coat, name), bytes);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_ml, _dir));
        Assert.Contains(Path.Combine(coat, name), e.Message);
        Assert.Contains(reason, e.Message);
        Assert.Contains("CorruptImageHandling.Skip", e.Message);
    }

    [Fact]
    public void SkipModeLeavesCorruptImagesOutAndReportsThem()
    {
        var bag = Folder("Bag");
        CopyFashion("Bag", "00018.png", bag);
        CopyFashion("Bag", "00030.png", bag);
        var coat = Folder("Coat");
        CopyFashion("Coat", "00006.png", coat);
        var broken = Path.Combine(bag, "00040.png");
        File.WriteAllBytes(broken, File.ReadAllBytes(Path.Combine(FashionPng, "Bag", "00018.png"))[..100]);
        var garbage = Path.Combine(coat, "garbage.jpg");
        File.WriteAllText(garbage, "this is not a JPEG");

        var data = ImageFolder.Load(_ml, _dir, new ImageFolderOptions { OnCorruptImage = CorruptImageHandling.Skip });
        Assert.Equal(3, data.ImageCount);
        Assert.Equal(new[] { broken, garbage }, data.Skipped.Select(s => s.Path));
        Assert.Contains("truncated", data.Skipped[0].Reason);
        Assert.Contains("cannot be decoded", data.Skipped[1].Reason);
        Assert.Equal(new[] { "00018.png", "00030.png", "00006.png" }, Texts(data.Data, "ImagePath").Select(Path.GetFileName));
    }

    [Fact]
    public void ClassWhoseImagesAreAllSkippedIsAnEmptyClass()
    {
        CopyFashion("Bag", "00018.png", Folder("Bag"));
        File.WriteAllText(Path.Combine(Folder("Coat"), "bad.png"), "not a PNG");
        var e = Assert.Throws<InvalidDataException>(() =>
            ImageFolder.Load(_ml, _dir, new ImageFolderOptions { OnCorruptImage = CorruptImageHandling.Skip }));
        Assert.Contains("Class folder 'Coat'", e.Message);
        Assert.Contains("all 1 were skipped", e.Message);
        Assert.Contains("bad.png", e.Message);
    }

    [Fact]
    public void DifferentSizesWithoutResizeNameBothFiles()
    {
        CopyFashion("Bag", "00018.png", Folder("Bag"));
        var odd = WriteSolid(Folder("Coat"), "wide.png", 20, 10, SKColors.Gray);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_ml, _dir));
        Assert.Contains(Path.Combine(_dir, "Bag", "00018.png"), e.Message);
        Assert.Contains("28x28", e.Message);
        Assert.Contains(odd, e.Message);
        Assert.Contains("20x10", e.Message);
        Assert.Contains("Width", e.Message);
        Assert.Contains("Height", e.Message);
    }

    [Fact]
    public void WidthWithoutHeightIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageFolder.Load(_ml, FashionPng, new ImageFolderOptions { Width = 10 }));
        Assert.Contains("both", e.Message);
        Assert.Throws<ArgumentException>(() => ImageFolder.Load(_ml, FashionPng, new ImageFolderOptions { Width = 0, Height = 5 }));
    }

    [Fact]
    public void OtherFilesAndHiddenEntriesAreIgnored()
    {
        var bag = Folder("Bag");
        CopyFashion("Bag", "00018.png", bag);
        File.WriteAllText(Path.Combine(bag, "README.md"), "about bags");
        File.WriteAllText(Path.Combine(bag, ".hidden.png"), "editor junk");
        CopyFashion("Coat", "00006.png", Folder("Coat"));
        File.WriteAllText(Path.Combine(Folder(".cache"), "x.png"), "not a class");
        File.WriteAllText(Path.Combine(_dir, "labels.txt"), "Bag\nCoat");
        var data = ImageFolder.Load(_ml, _dir);
        Assert.Equal(new[] { "Bag", "Coat" }, data.Classes);
        Assert.Equal(2, data.ImageCount);
    }
}
