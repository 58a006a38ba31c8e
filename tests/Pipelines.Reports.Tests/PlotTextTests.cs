using Pipelines.Reports.Plots;
using ScottPlot;
using SkiaSharp;

namespace Pipelines.Reports.Tests;

/// <summary>
/// Plots must show text on any machine. Skia's Linux build draws nothing, without an error, when it finds no font, so
/// these tests check that the embedded font is used and that labels really put ink on the image.
/// </summary>
public class PlotTextTests
{
    [Fact]
    public void TheEmbeddedFontHasTheGlyphsTheReportUses()
    {
        var typeface = Fonts.GetTypeface(ReportFont.Name, bold: false, italic: false);
        var bold = Fonts.GetTypeface(ReportFont.Name, bold: true, italic: false);
        Assert.Equal("DejaVu Sans", typeface.FamilyName);
        Assert.True(bold.FontWeight >= 600);
        using var font = new SKFont(typeface);
        foreach (string text in new[] { "Validation Accuracy vs batch size", "Batch size (log₂ scale)", "Gap (train − validation)", "×1.5 µ σ ≥ 0" })
        {
            var glyphs = font.GetGlyphs(text);
            Assert.DoesNotContain((ushort)0, glyphs);
        }
    }

    [Fact]
    public void LabelsPutInkOnTheImage()
    {
        static int DarkPixels(string title)
        {
            var plot = ReportPlot.Create(title, "x", "y");
            plot.Add.Scatter(new double[] { 1, 2 }, new double[] { 1, 2 });
            var png = ReportPlot.Render(plot, "t.png", "t").Png;
            using var bitmap = SKBitmap.Decode(png);
            int dark = 0;
            for (int y = 0; y < bitmap.Height; y++)
                for (int x = 0; x < bitmap.Width; x++)
                    if (bitmap.GetPixel(x, y).Red < 128) dark++;
            return dark;
        }
        // Only the title differs: its letters must account for hundreds of dark pixels.
        Assert.True(DarkPixels("Optimization history") - DarkPixels("") > 400);
    }
}
