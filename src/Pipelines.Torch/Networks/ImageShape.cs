namespace Pipelines.Torch.Networks;

/// <summary>
/// Channels, height and width of the images in a flat pixel vector laid out planar (channel, row, column), the
/// layout of ML.NET's ExtractPixels with its default interleave = false.
/// </summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;

    public override string ToString() => $"{Channels} x {Height} x {Width}";

    /// <summary>
    /// The shape declared in the options, else the one the column's vector type carries: [channels, height, width]
    /// (ExtractPixels) or [height, width] (one channel, as the IDX loader writes). Errors say what to declare.
    /// </summary>
    internal static ImageShape Resolve(string columnName, VectorDataViewType type, int? channels, int? height, int? width)
    {
        int size = type.Size;
        if (channels is not null || height is not null || width is not null)
        {
            if (height is null || width is null)
                throw new ArgumentException("Set both ImageHeight and ImageWidth (and ImageChannels unless it is 1) to declare the image shape.");
            var declared = new ImageShape(channels ?? 1, height.Value, width.Value);
            if (declared.Size != size)
                throw new ArgumentException(
                    $"Feature column '{columnName}' has {size} values per row, but the declared image shape {declared} " +
                    $"(channels x height x width) needs {declared.Size}.");
            return declared;
        }
        var dims = type.Dimensions;
        if (dims.Length == 3 && dims[0] is 1 or 3 or 4)
            return new ImageShape(dims[0], dims[1], dims[2]);
        if (dims.Length == 3 && dims[2] is 1 or 3 or 4)
            throw new ArgumentException(
                $"Feature column '{columnName}' has dimensions {string.Join(" x ", dims.ToArray())}, which look interleaved " +
                "(height x width x channels). Extract the pixels planar (ExtractPixels with interleavePixelColors: false, the default).");
        if (dims.Length == 2)
            return new ImageShape(1, dims[0], dims[1]);
        throw new ArgumentException(
            $"Feature column '{columnName}' is a vector of {size} values without image dimensions. Declare the image " +
            "shape with ImageChannels, ImageHeight and ImageWidth (pixels laid out channel by channel, row by row).");
    }
}
