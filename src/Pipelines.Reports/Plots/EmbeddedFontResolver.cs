using ScottPlot;
using SkiaSharp;

namespace Pipelines.Reports.Plots;

/// <summary>Answers ScottPlot's requests for one family name with the embedded regular and bold typefaces.</summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    readonly string _family;
    readonly SKTypeface _regular, _bold;

    public EmbeddedFontResolver(string family, SKTypeface regular, SKTypeface bold) =>
        (_family, _regular, _bold) = (family, regular, bold);

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        Matches(fontName) ? ((int)weight >= (int)FontWeight.SemiBold ? _bold : _regular) : null;

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        Matches(fontName) ? (bold ? _bold : _regular) : null;

    bool Matches(string fontName) => string.Equals(fontName, _family, StringComparison.OrdinalIgnoreCase);
}
