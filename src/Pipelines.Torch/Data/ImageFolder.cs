using SkiaSharp;

namespace Pipelines.Torch.Data;

/// <summary>How many colour channels the loaded images get.</summary>
public enum ImageColorMode
{
    /// <summary>One channel when every image is grey (R = G = B in every pixel), otherwise three (R, G, B).</summary>
    Auto,

    /// <summary>One channel; colour pixels become luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601).</summary>
    Grayscale,

    /// <summary>Three channels R, G, B; grey images repeat their one value in all three.</summary>
    Rgb,
}

/// <summary>What to do with an image file that cannot be read or decoded.</summary>
public enum CorruptImageHandling
{
    /// <summary>Stop with an exception that names the file (the default: a broken file is usually a mistake worth seeing).</summary>
    Fail,

    /// <summary>Leave the file out, record it in <see cref="ImageFolderData.Skipped"/> and go on.</summary>
    Skip,
}

/// <summary>Options for <see cref="ImageFolder.Load"/>.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>
    /// Resize target width in pixels; set together with <see cref="Height"/>. Null keeps each image's size, and then all
    /// images must have the same size (the feature vector has one fixed shape). Resizing stretches to exactly
    /// Width x Height (no cropping or padding) with Skia's high-quality filter.
    /// </summary>
    public int? Width { get; set; }

    /// <summary>Resize target height in pixels; set together with <see cref="Width"/>.</summary>
    public int? Height { get; set; }

    /// <summary>Grey (1 channel) or colour (3 channels); <see cref="ImageColorMode.Auto"/> decides from the images.</summary>
    public ImageColorMode ColorMode { get; set; } = ImageColorMode.Auto;

    /// <summary>Fail on the first unreadable or corrupt image (default), or skip it and report it.</summary>
    public CorruptImageHandling OnCorruptImage { get; set; } = CorruptImageHandling.Fail;

    /// <summary>
    /// The most pixels (width x height) an image may have. Its size is read from the file's header before any pixel
    /// is decoded, so a small file that declares a huge image is refused (as a corrupt one) without the memory it
    /// would take. Default: 4096 x 4096.
    /// </summary>
    public long MaxPixels { get; set; } = DefaultMaxPixels;

    public const long DefaultMaxPixels = 4096L * 4096;

    /// <summary>The Text column holding the class (sub-folder) name.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The Single vector column (channels x height x width) holding the pixels in [0, 1].</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The Text column holding each image's full path, so predictions can be traced back to files.</summary>
    public string ImagePathColumnName { get; set; } = "ImagePath";
}

/// <summary>An image file left out of the data because it could not be read or decoded, and why.</summary>
public sealed record SkippedImage(string Path, string Reason);

/// <summary>What <see cref="ImageFolder.Load"/> found: the data and the facts a network needs to be shaped for it.</summary>
public sealed class ImageFolderData
{
    internal ImageFolderData(IDataView data, IReadOnlyList<string> classes, int channels, int height, int width, int imageCount,
        IReadOnlyList<SkippedImage> skipped)
    {
        Data = data;
        Classes = classes;
        Channels = channels;
        Height = height;
        Width = width;
        ImageCount = imageCount;
        Skipped = skipped;
    }

    /// <summary>
    /// One row per image: label (Text), image path (Text), features (Single vector of Channels x Height x Width, planar:
    /// all of channel 0 row by row, then channel 1, ...; values byte / 255). Rows are ordered by class, then file name.
    /// </summary>
    public IDataView Data { get; }

    /// <summary>The class (sub-folder) names, sorted ordinally: the order MapValueToKey gives them on this data.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>1 (grey) or 3 (R, G, B).</summary>
    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Rows in <see cref="Data"/> (images loaded, not counting skipped ones).</summary>
    public int ImageCount { get; }

    /// <summary>Files left out under <see cref="CorruptImageHandling.Skip"/>, with the reason; empty otherwise.</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }
}

/// <summary>
/// Loads an image folder, the usual layout for image classification: one sub-folder per class, named after the class,
/// holding that class's PNG and JPEG files (.png, .jpg, .jpeg, any case). Other files, hidden entries (names starting
/// with '.') and nested folders inside a class folder are ignored. EXIF orientation is not applied (as in ML.NET's
/// LoadImages); alpha is dropped.
/// </summary>
/// <remarks>
/// Every image is decoded once, up front, so that bad input fails here with the file named rather than in the middle of
/// training, and so that the shape and colour mode are known before a network is built. Pixels are kept as bytes and
/// turned into floats only when a cursor reads them.
/// </remarks>
public static class ImageFolder
{
    static readonly string[] Extensions = { ".png", ".jpg", ".jpeg" };
    const string ExpectedLayout = "one sub-folder per class, each holding that class's PNG or JPEG images (.png, .jpg, .jpeg)";

    /// <summary>
    /// Loads <paramref name="folder"/>; see <see cref="ImageFolderData.Data"/> for the columns. Throws, naming the file or
    /// folder, on a missing folder, no class sub-folders, fewer than 2 classes, a class without images, a corrupt image
    /// (unless skipped), or images of different sizes without a resize.
    /// </summary>
    public static ImageFolderData Load(MLContext mlContext, string folder, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return LoadCore(folder, options);
    }

    // The MLContext is not needed to read files; Load takes one for the look of ML.NET's loaders.
    internal static ImageFolderData LoadCore(string folder, ImageFolderOptions? options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        options ??= new ImageFolderOptions();
        CheckOptions(options);
        var classDirs = ClassFolders(Path.GetFullPath(folder));
        var resize = options.Width is { } w && options.Height is { } h ? (W: w, H: h) : ((int W, int H)?)null;
        var images = new List<DecodedImage>();
        var skipped = new List<SkippedImage>();
        foreach (var classDir in classDirs) LoadClass(classDir, resize, options, images, skipped);

        int channels = options.ColorMode switch
        {
            ImageColorMode.Grayscale => 1,
            ImageColorMode.Rgb => 3,
            _ => images.All(i => i.IsGrey) ? 1 : 3,
        };
        var classes = classDirs.Select(d => Path.GetFileName(d)).ToList();
        var first = images[0];
        var view = new ImageFolderDataView(images, channels, first.Height, first.Width,
            options.LabelColumnName, options.ImagePathColumnName, options.FeatureColumnName);
        return new ImageFolderData(view, classes, channels, first.Height, first.Width, images.Count, skipped);
    }

    /// <summary>The class sub-folders of <paramref name="root"/> in name order; at least two, or an error that says how to lay the folder out.</summary>
    static List<string> ClassFolders(string root)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"Image folder '{root}' does not exist. Expected {ExpectedLayout}.");
        var classDirs = Directory.GetDirectories(root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToList();
        if (classDirs.Count == 0)
        {
            int loose = Directory.GetFiles(root).Count(IsImageFile);
            var hint = loose > 0 ? $" It holds {loose} image(s) directly; move them into a sub-folder named after their class." : "";
            throw new InvalidDataException($"Image folder '{root}' has no class sub-folders. Expected {ExpectedLayout}.{hint}");
        }
        if (classDirs.Count < 2)
            throw new InvalidDataException(
                $"Image folder '{root}' has only one class sub-folder ('{Path.GetFileName(classDirs[0])}'); classification needs at least 2 classes. " +
                $"Expected {ExpectedLayout}.");
        return classDirs;
    }

    /// <summary>Decodes one class folder's images into <paramref name="images"/>; unreadable ones fail or go to <paramref name="skipped"/>.</summary>
    static void LoadClass(string classDir, (int W, int H)? resize, ImageFolderOptions options, List<DecodedImage> images, List<SkippedImage> skipped)
    {
        var className = Path.GetFileName(classDir);
        var files = Directory.GetFiles(classDir)
            .Where(f => IsImageFile(f) && !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            throw new InvalidDataException($"Class folder '{className}' ('{classDir}') has no PNG or JPEG images; {DescribeContents(classDir)}. " +
                $"Expected {ExpectedLayout}.");

        int loaded = 0;
        var classSkipped = new List<SkippedImage>();
        foreach (var file in files)
        {
            var (image, reason) = Decode(file, className, resize, options.MaxPixels);
            if (image == null)
            {
                if (options.OnCorruptImage == CorruptImageHandling.Fail)
                    throw new InvalidDataException($"Cannot load image '{file}': {reason}. To leave such files out instead, set " +
                        $"{nameof(ImageFolderOptions)}.{nameof(ImageFolderOptions.OnCorruptImage)} = {nameof(CorruptImageHandling)}.{nameof(CorruptImageHandling.Skip)}.");
                classSkipped.Add(new SkippedImage(file, reason!));
                continue;
            }
            var first = images.Count > 0 ? images[0] : image;
            if (image.Width != first.Width || image.Height != first.Height)
                throw new InvalidDataException(
                    $"Images differ in size: '{first.Path}' is {first.Width}x{first.Height} (width x height) but '{file}' is {image.Width}x{image.Height}. " +
                    $"A feature vector needs one shape: set {nameof(ImageFolderOptions)}.{nameof(ImageFolderOptions.Width)} and " +
                    $"{nameof(ImageFolderOptions.Height)} to resize every image to the same size.");
            images.Add(image);
            loaded++;
        }
        skipped.AddRange(classSkipped);
        if (loaded == 0)
            throw new InvalidDataException($"Class folder '{className}' ('{classDir}') has no readable images: all {files.Count} were skipped as corrupt " +
                $"(first: '{Path.GetFileName(classSkipped[0].Path)}': {classSkipped[0].Reason}).");
    }

    static void CheckOptions(ImageFolderOptions options)
    {
        if (options.Width.HasValue != options.Height.HasValue)
            throw new ArgumentException($"Set both {nameof(ImageFolderOptions.Width)} and {nameof(ImageFolderOptions.Height)} to resize, or neither to keep the images' size " +
                $"(got Width = {options.Width?.ToString() ?? "null"}, Height = {options.Height?.ToString() ?? "null"}).", nameof(options));
        if (options.Width <= 0 || options.Height <= 0)
            throw new ArgumentException($"Resize target {options.Width}x{options.Height} must be positive.", nameof(options));
        if (options.MaxPixels <= 0)
            throw new ArgumentException($"{nameof(ImageFolderOptions.MaxPixels)} {options.MaxPixels} must be positive.", nameof(options));
        if (!Enum.IsDefined(options.ColorMode))
            throw new ArgumentException($"Unknown {nameof(ImageColorMode)} {options.ColorMode}.", nameof(options));
        if (!Enum.IsDefined(options.OnCorruptImage))
            throw new ArgumentException($"Unknown {nameof(CorruptImageHandling)} {options.OnCorruptImage}.", nameof(options));
        var names = new[] { options.LabelColumnName, options.ImagePathColumnName, options.FeatureColumnName };
        if (names.Any(string.IsNullOrWhiteSpace) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ArgumentException($"Column names must be non-empty and distinct (got '{names[0]}', '{names[1]}', '{names[2]}').", nameof(options));
    }

    static bool IsImageFile(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>A few names so that "no images" says what the folder does hold.</summary>
    static string DescribeContents(string dir)
    {
        var entries = Directory.GetFileSystemEntries(dir).Select(e => Directory.Exists(e) ? Path.GetFileName(e) + "/" : Path.GetFileName(e))
            .Order(StringComparer.Ordinal).ToList();
        if (entries.Count == 0) return "it is empty";
        const int shown = 10;
        var list = string.Join(", ", entries.Take(shown).Select(e => $"'{e}'"));
        return entries.Count <= shown ? $"it holds {list}" : $"it holds {entries.Count} entries ({list}, ...)";
    }

    /// <summary>Reads and decodes one file into planar bytes; on failure returns the reason instead.</summary>
    static (DecodedImage? Image, string? Reason) Decode(string path, string className, (int W, int H)? resize, long maxPixels)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"the file cannot be read ({e.Message})");
        }
        if (bytes.Length == 0) return (null, "the file is empty");

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec == null) return (null, "it cannot be decoded as a PNG or JPEG image (unrecognised or damaged header)");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width <= 0 || info.Height <= 0) return (null, $"it declares an empty size {info.Width}x{info.Height}");
        if ((long)info.Width * info.Height > maxPixels)
            return (null, $"its header declares {info.Width}x{info.Height} pixels, more than {nameof(ImageFolderOptions)}.{nameof(ImageFolderOptions.MaxPixels)} ({maxPixels})");

        var bitmap = new SKBitmap(info);
        try
        {
            var result = codec.GetPixels(info, bitmap.GetPixels());
            // IncompleteInput (a truncated file) still fills the rest with zeros: a silent wrong image, so it counts as corrupt.
            if (result != SKCodecResult.Success)
                return (null, result == SKCodecResult.IncompleteInput
                    ? "the image data is truncated (decoding ran out of data)"
                    : $"decoding failed ({result})");
            if (resize is { } r && (r.W != info.Width || r.H != info.Height))
            {
                var resized = bitmap.Resize(new SKImageInfo(r.W, r.H, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell));
                if (resized == null) return (null, $"resizing from {info.Width}x{info.Height} to {r.W}x{r.H} failed");
                bitmap.Dispose();
                bitmap = resized;
            }
            return (DecodedImage.FromRgba(path, className, bitmap), null);
        }
        finally
        {
            bitmap.Dispose();
        }
    }
}

/// <summary>One decoded image: 1 plane if it is grey, else 3 planes (R, G, B), each Height x Width bytes.</summary>
internal sealed class DecodedImage
{
    public required string Path { get; init; }
    public required string ClassName { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required byte[] Planes { get; init; }
    public bool IsGrey => Planes.Length == Width * Height;

    public static DecodedImage FromRgba(string path, string className, SKBitmap bitmap)
    {
        int w = bitmap.Width, h = bitmap.Height, n = w * h, stride = bitmap.RowBytes;
        // Bytes (a copy) rather than GetPixelSpan: the latter's return type changed between SkiaSharp 2.88 and 3.x, and
        // an app that also uses ScottPlot (the CLI) runs on 3.x, where a 2.88-compiled call is a MissingMethodException.
        ReadOnlySpan<byte> rgba = bitmap.Bytes;
        var planes = new byte[3 * n];
        bool grey = true;
        for (int y = 0; y < h; y++)
        {
            var row = rgba.Slice(y * stride, 4 * w);
            for (int x = 0; x < w; x++)
            {
                byte r = row[4 * x], g = row[4 * x + 1], b = row[4 * x + 2];
                int i = y * w + x;
                planes[i] = r;
                planes[n + i] = g;
                planes[2 * n + i] = b;
                grey &= r == g && g == b;
            }
        }
        return new DecodedImage { Path = path, ClassName = className, Width = w, Height = h, Planes = grey ? planes[..n] : planes };
    }

    /// <summary>Writes the pixels as <paramref name="channels"/> planes of floats in [0, 1].</summary>
    public void WriteFeatures(Span<float> destination, int channels)
    {
        int n = Width * Height;
        if (IsGrey)
        {
            for (int i = 0; i < n; i++) destination[i] = Planes[i] / 255f;
            for (int c = 1; c < channels; c++) destination[..n].CopyTo(destination[(c * n)..]);
        }
        else if (channels == 3)
        {
            for (int i = 0; i < 3 * n; i++) destination[i] = Planes[i] / 255f;
        }
        else
        {
            for (int i = 0; i < n; i++)
                destination[i] = (0.299f * Planes[i] + 0.587f * Planes[n + i] + 0.114f * Planes[2 * n + i]) / 255f;
        }
    }
}

/// <summary>ML.NET-style entry point: <c>mlContext.Data.LoadFromImageFolder(folder)</c>.</summary>
public static class ImageFolderCatalog
{
    /// <summary>
    /// Loads an image folder (one sub-folder per class) as an <see cref="IDataView"/>; see <see cref="ImageFolder.Load"/>,
    /// which also returns the classes, the image shape and any skipped files.
    /// </summary>
    public static IDataView LoadFromImageFolder(this DataOperationsCatalog catalog, string folder, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ImageFolder.LoadCore(folder, options).Data;
    }
}
