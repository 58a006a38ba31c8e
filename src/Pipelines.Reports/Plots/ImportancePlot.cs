using Pipelines.Reports.Analysis;
using ScottPlot;

namespace Pipelines.Reports.Plots;

/// <summary>Horizontal bars of one trainer's parameter importances, most important on top, labelled in percent.</summary>
internal static class ImportancePlot
{
    public static string FileNameFor(string trainer) => $"importance-{Slug(trainer)}.png";

    public static RenderedPlot Build(TrainerImportance importance)
    {
        var entries = importance.Parameters;
        string method = importance.Method == ImportanceMethod.PermutationForest ? "forest + permutation" : "binned variance";
        var plot = ReportPlot.Create($"Parameter importance: {importance.Trainer} ({importance.Trials} trials, {method})",
            "Share of the objective's explained variance", "");
        var bars = new List<Bar>();
        for (int i = 0; i < entries.Count; i++)
        {
            bars.Add(new Bar
            {
                Position = entries.Count - 1 - i,
                Value = entries[i].Importance,
                FillColor = ReportPlot.Completed,
                LineWidth = 0,
                Size = 0.7,
                Label = Percent(entries[i].Importance),
            });
        }
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plottable.ValueLabelStyle.FontSize = 12;
        plottable.ValueLabelStyle.FontName = ReportFont.Name;

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < entries.Count; i++) ticks.AddMajor(entries.Count - 1 - i, entries[i].Parameter);
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        double max = entries.Count == 0 ? 1 : Math.Max(entries.Max(e => e.Importance), 0.01);
        // Room right of the longest bar for its label; ticks every 10% up to at most 100%.
        double limit = Math.Min(max * 1.18, 1.12);
        plot.Axes.SetLimits(0, limit, -0.6, entries.Count - 0.4);
        var percentTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int p = 0; p <= 100 && p / 100.0 <= limit; p += max > 0.3 ? 10 : 5) percentTicks.AddMajor(p / 100.0, Percent(p / 100.0));
        plot.Axes.Bottom.TickGenerator = percentTicks;
        return ReportPlot.Render(plot, FileNameFor(importance.Trainer), $"Parameter importance of {importance.Trainer}",
            height: Math.Clamp(140 + 42 * entries.Count, 260, 620));
    }

    static string Percent(double share) => (share * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>A file-name-safe form of a trainer name: letters, digits and dashes.</summary>
    public static string Slug(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray();
        string slug = new string(chars).Trim('-');
        return slug.Length == 0 ? "trainer" : slug;
    }
}
