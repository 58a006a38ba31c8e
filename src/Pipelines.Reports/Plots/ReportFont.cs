using ScottPlot;
using SkiaSharp;

namespace Pipelines.Reports.Plots;

/// <summary>
/// The one font every plot uses: a DejaVu Sans subset embedded in this assembly (Fonts/README.md). ScottPlot's Linux
/// native Skia build finds system fonts only by scanning /usr/share/fonts; where there are none it draws every label
/// as nothing, silently, and where there are some it takes whichever comes first (DejaVu Serif on Debian 12). The
/// embedded typeface makes plots readable and identical on every machine.
/// </summary>
internal static class ReportFont
{
    /// <summary>A family name of our own, so a system font of the same name never answers instead.</summary>
    public const string Family = "Pipelines Report Sans";

    static readonly Lazy<string> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The family name to set on plots; the first call registers the typefaces with ScottPlot.</summary>
    public static string Name => Registered.Value;

    static string Register()
    {
        var resolver = new EmbeddedFontResolver(Family, Load("DejaVuSans.ttf"), Load("DejaVuSans-Bold.ttf"));
        lock (Fonts.FontResolvers) Fonts.FontResolvers.Insert(0, resolver);
        return Family;
    }

    /// <summary>Typefaces live for the process, like ScottPlot's own font cache.</summary>
    static SKTypeface Load(string file)
    {
        string resource = $"Pipelines.Reports.Fonts.{file}";
        using var stream = typeof(ReportFont).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded font {resource} is missing from {typeof(ReportFont).Assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        using var data = SKData.CreateCopy(buffer.ToArray());
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"Skia could not read the embedded font {resource}.");
    }
}
