using ScottPlot;

namespace Pipelines.Reports.Plots;

/// <summary>The house style of the report's plots, and the log2 batch-size axis they share.</summary>
internal static class ReportPlot
{
    public const int Width = 900;
    public const int Height = 460;

    static readonly ScottPlot.Palettes.Category10 Palette = new();

    public static Color ColorAt(int index) => Palette.GetColor(index);

    public static readonly Color Completed = Palette.GetColor(0);
    public static readonly Color Best = Palette.GetColor(3);
    public static readonly Color Pruned = Palette.GetColor(1);
    public static readonly Color Failed = Palette.GetColor(7);
    public static readonly Color Diverged = Palette.GetColor(4);
    public static readonly Color Median = new(0x44, 0x44, 0x44);

    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, 17);
        plot.XLabel(xLabel, 14);
        plot.YLabel(yLabel, 14);
        // The font is named on every label rather than set with plot.Font.Set, which pins a regular typeface on
        // every label (titles lose their bold) and changes ScottPlot's process-wide default.
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = ReportFont.Name;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontName = ReportFont.Name;
            axis.TickLabelStyle.FontSize = 12;
        }
        plot.Axes.Title.Label.FontName = ReportFont.Name;
        plot.Axes.Title.Label.Bold = true;
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.08);
        plot.Legend.FontName = ReportFont.Name;
        plot.Legend.FontSize = 12;
        return plot;
    }

    /// <summary>The legend beside the data, never over it.</summary>
    public static void LegendOutside(Plot plot) => plot.ShowLegend(Edge.Right);

    /// <summary>The plots that were drawn, in order: a plot with nothing to show is null and left out.</summary>
    public static IReadOnlyList<RenderedPlot> Drawn(params RenderedPlot?[] plots) => plots.OfType<RenderedPlot>().ToList();

    public static RenderedPlot Render(Plot plot, string fileName, string altText, int width = Width, int height = Height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        plot.Dispose();
        return new RenderedPlot(fileName, altText, png);
    }

    /// <summary>
    /// x = log2(batch size) with a labelled tick at every power of two that covers the data, so 16, 32, 64 ... are evenly
    /// spaced; batch sizes that are not powers of two (capped at the training rows) fall between them.
    /// </summary>
    public static void Log2BatchAxis(Plot plot, IEnumerable<int> batchSizes)
    {
        var logs = batchSizes.Where(b => b > 0).Select(b => Math.Log2(b)).ToList();
        int low = (int)Math.Floor(logs.Min()), high = (int)Math.Ceiling(logs.Max());
        if (high - low < 2) { low--; high++; }
        low = Math.Max(0, low);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int e = low; e <= high; e++) ticks.AddMajor(e, (1L << e).ToString(System.Globalization.CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(low - 0.4, high + 0.4);
    }

    /// <summary>A dashed line at y = 0 with a legend entry, for differences such as the gap.</summary>
    public static void ZeroLine(Plot plot, string legend = "no gap")
    {
        var zero = plot.Add.HorizontalLine(0, 1, Colors.Black.WithAlpha(0.45), LinePattern.Dashed);
        zero.LegendText = legend;
    }

    /// <summary>Y limits around <paramref name="values"/> with 12% padding (a small band around a single value).</summary>
    public static void PaddedLimitsY(Plot plot, IReadOnlyCollection<double> values)
    {
        double low = values.Min(), high = values.Max();
        double pad = high > low ? (high - low) * 0.12 : Math.Max(Math.Abs(high) * 0.05, 0.01);
        plot.Axes.SetLimitsY(low - pad, high + pad);
    }

    /// <summary>
    /// A log10 axis for values that span decades (steps, examples): the plot holds log10(value), and the axis gets a
    /// labelled tick at every power of ten that covers <paramref name="values"/>, minor ticks at 2..9 times each, and
    /// 2 and 5 times labelled when the data span less than two decades.
    /// </summary>
    public static void Log10Axis(IAxis axis, IEnumerable<double> values)
    {
        var logs = values.Where(v => v > 0 && double.IsFinite(v)).Select(Math.Log10).ToList();
        if (logs.Count == 0) return;
        int low = (int)Math.Floor(logs.Min()), high = (int)Math.Ceiling(logs.Max());
        if (high == low) high++;
        bool fine = high - low <= 2;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        for (int e = low; e <= high; e++)
        {
            ticks.AddMajor(e, Math.Pow(10, e).ToString("#,0.####", inv));
            if (e == high) break;
            for (int m = 2; m <= 9; m++)
            {
                double at = e + Math.Log10(m);
                if (fine && (m == 2 || m == 5)) ticks.AddMajor(at, (m * Math.Pow(10, e)).ToString("#,0.####", inv));
                else ticks.AddMinor(at);
            }
        }
        axis.TickGenerator = ticks;
    }

    /// <summary>log2(batch) with a small deterministic spread, so trials at the same batch size do not hide each other.</summary>
    public static double[] Jittered(IReadOnlyList<int> batchSizes)
    {
        var x = new double[batchSizes.Count];
        foreach (var group in Enumerable.Range(0, batchSizes.Count).GroupBy(i => batchSizes[i]))
        {
            var members = group.ToList();
            double step = Math.Min(0.06, 0.5 / members.Count);
            for (int k = 0; k < members.Count; k++)
                x[members[k]] = Math.Log2(group.Key) + (k - (members.Count - 1) / 2.0) * step;
        }
        return x;
    }

    /// <summary>
    /// Limits that show the bulk of the values when a few are far out (R^2 of a first epoch at -40, a first loss 100
    /// times the last): the lower edge stops at the 5th percentile minus half the spread above it, the upper edge at
    /// the 95th plus half the spread below it. Returns whether anything was cut off.
    /// </summary>
    public static bool RobustLimitsY(Plot plot, IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return false;
        double min = values.Min(), max = values.Max();
        double p05 = Analysis.Stats.Quantile(values, 0.05)!.Value, p95 = Analysis.Stats.Quantile(values, 0.95)!.Value;
        double low = Math.Max(min, p05 - 0.5 * (max - p05));
        double high = Math.Min(max, p95 + 0.5 * (p95 - min));
        double pad = Math.Max(1e-9, (high - low) * 0.06);
        if (high - low <= 0) pad = Math.Max(Math.Abs(high) * 0.05, 0.01);
        plot.Axes.SetLimitsY(low - pad, high + pad);
        return low > min || high < max;
    }
}
