using SkiaSharp;

namespace Pipelines.Cli.Tests;

/// <summary>Image folders for the image-classification tests: subsets of datasets/fashion-mnist-png, and bad files.</summary>
public static class ImageFolders
{
    public static string FashionMnist { get; } = Tool.Dataset("fashion-mnist-png");

    /// <summary>Copies files <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/> (by name) of each class into <paramref name="target"/>/class/.</summary>
    public static string Subset(string target, IEnumerable<string> classes, int skip, int take)
    {
        foreach (var name in classes)
        {
            var folder = Directory.CreateDirectory(Path.Combine(target, name)).FullName;
            foreach (var file in Directory.GetFiles(Path.Combine(FashionMnist, name)).Order(StringComparer.Ordinal).Skip(skip).Take(take))
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        return target;
    }

    /// <summary>A .png file that holds no image.</summary>
    public static string Garbage(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Enumerable.Range(0, 300).Select(i => (byte)(i * 37 % 251)).ToArray());
        return path;
    }

    /// <summary>A grey PNG of the given size.</summary>
    public static string Png(string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(90, 90, 90));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }
}
