namespace Pipelines.Cli.Runs;

/// <summary>The --image-size value, WIDTHxHEIGHT in pixels (28x28, 64x48).</summary>
internal readonly record struct ImageSize(int Width, int Height)
{
    public static ImageSize Parse(string text)
    {
        var parts = text.Trim().Split('x', 'X');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int height))
        {
            if (width < 1 || height < 1) throw CliException.Input($"--image-size {text}: width and height must be at least 1 pixel.");
            return new ImageSize(width, height);
        }
        throw CliException.Input($"--image-size '{text}' is not a size: write WIDTHxHEIGHT in pixels, for example 28x28.");
    }

    public override string ToString() => $"{Width}x{Height}";
}
