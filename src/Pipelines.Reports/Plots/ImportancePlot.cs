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
                Label = entries[i].Importance.ToString("P0", System.Globalization.CultureInfo.InvariantCulture),
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
        plot.Axes.SetLimits(0, max * 1.18, -0.6, entries.Count - 0.4);
        return ReportPlot.Render(plot, FileNameFor(importance.Trainer), $"Parameter importance of {importance.Trainer}",
            height: Math.Clamp(140 + 42 * entries.Count, 260, 620));
    }

    /// <summary>A file-name-safe form of a trainer name: letters, digits and dashes.</summary>
    public static string Slug(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray();
        string slug = new string(chars).Trim('-');
        return slug.Length == 0 ? "trainer" : slug;
    }
}
