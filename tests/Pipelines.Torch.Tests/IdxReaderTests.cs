using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch.Data;

namespace Pipelines.Torch.Tests;

public sealed class IdxReaderTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pipelines-idx-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static byte[] Idx(int[] shape, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, 0x08, (byte)shape.Length };
        foreach (var d in shape) bytes.AddRange(new[] { (byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d });
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    string Write(string name, byte[] bytes, bool gzip)
    {
        var path = Path.Combine(_dir, name);
        if (!gzip) File.WriteAllBytes(path, bytes);
        else
        {
            using var file = File.Create(path);
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(bytes);
        }
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsShapeAndBytes(bool gzip)
    {
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)i).ToArray();
        var array = IdxReader.Read(Write("a.idx", Idx(new[] { 2, 3, 4 }, data), gzip));
        Assert.Equal(new[] { 2, 3, 4 }, array.Shape);
        Assert.Equal(12, array.ItemSize);
        Assert.Equal(data, array.Data);
        Assert.Equal(1, IdxReader.Read(Write("b.idx", Idx(new[] { 2, 3, 4 }, data), gzip), maxItems: 1).Count);
    }

    [Fact]
    public void TruncatedAndForeignFilesFailClearly()
    {
        var truncated = Write("t.idx", Idx(new[] { 5, 2, 2 }, new byte[7]), gzip: false);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxReader.Read(truncated)).Message);
        var png = Write("x.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0 }, gzip: false);
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => IdxReader.Read(png)).Message);
        var floats = Write("f.idx", new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 0 }, gzip: false);
        Assert.Contains("0x0D", Assert.Throws<InvalidDataException>(() => IdxReader.Read(floats)).Message);
        Assert.Throws<FileNotFoundException>(() => IdxReader.Read(Path.Combine(_dir, "missing.idx")));
    }

    [Fact]
    public void LoadsImagesAndLabelsAsAnMLNetDataView()
    {
        var images = Write("img.idx", Idx(new[] { 3, 2, 2 }, new byte[] { 0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8 }), gzip: true);
        var labels = Write("lab.idx", Idx(new[] { 3 }, new byte[] { 7, 0, 9 }), gzip: true);
        var ml = new MLContext();
        var view = ImageDatasets.LoadIdx(ml, images, labels);
        var type = (VectorDataViewType)view.Schema["Features"].Type;
        Assert.Equal(new[] { 2, 2 }, type.Dimensions);
        Assert.Equal(new[] { 7f, 0f, 9f }, view.GetColumn<float>("Label"));
        Assert.Equal(new[] { 0f, 1f, 0.2f, 0.4f }, view.GetColumn<float[]>("Features").First());

        var fewer = Write("lab2.idx", Idx(new[] { 2 }, new byte[] { 1, 2 }), gzip: false);
        Assert.Contains("3 images but", Assert.Throws<InvalidDataException>(() => ImageDatasets.LoadIdx(ml, images, fewer)).Message);
    }

    [Fact]
    public void ReadsRealFashionMnistAndAgreesPixelForPixelWithThePngFolder()
    {
        // datasets/fashion-mnist-idx holds the first 200 t10k images in the IDX format; datasets/fashion-mnist-png holds
        // t10k images as PNGs named by their t10k index. The two loaders must give the same pixels for the same image.
        var idx = TestData.Path("fashion-mnist-idx");
        var ml = new MLContext();
        var view = ImageDatasets.LoadIdx(ml, Path.Combine(idx, "t10k-first200-images-idx3-ubyte.gz"), Path.Combine(idx, "t10k-first200-labels-idx1-ubyte.gz"));
        Assert.Equal(new[] { 28, 28 }, ((VectorDataViewType)view.Schema["Features"].Type).Dimensions);
        var labels = view.GetColumn<float>("Label").ToArray();
        var pixels = view.GetColumn<float[]>("Features").ToArray();
        Assert.Equal(200, labels.Length);
        // Class counts of the first 200 t10k labels (0 T-shirt/top ... 9 Ankle boot), as convert.py printed them.
        Assert.Equal(new[] { 20, 27, 27, 17, 21, 16, 16, 20, 18, 18 }, Enumerable.Range(0, 10).Select(c => labels.Count(l => l == c)));

        var png = ImageFolder.Load(ml, TestData.Path("fashion-mnist-png"));
        var paths = png.Data.GetColumn<ReadOnlyMemory<char>>("ImagePath").Select(p => p.ToString()).ToArray();
        var pngPixels = png.Data.GetColumn<float[]>("Features").ToArray();
        int compared = 0;
        for (int i = 0; i < paths.Length; i++)
        {
            int index = int.Parse(Path.GetFileNameWithoutExtension(paths[i]));
            if (index >= 200) continue;
            Assert.Equal(pixels[index], pngPixels[i]);
            Assert.Equal(FashionClasses[(int)labels[index]], Path.GetFileName(Path.GetDirectoryName(paths[i])));
            compared++;
        }
        Assert.True(compared >= 150, $"only {compared} images are in both sets");
    }

    static readonly string[] FashionClasses =
        { "T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle_boot" };
}
