using ScottPlot;

namespace Pipelines.Reports.Plots;

/// <summary>
/// Objective per trial in the order trials finished, coloured by status, with the best-so-far line. Trials without a
/// finite objective (pruned, failed, diverged) have no value to plot: they are marked along the bottom edge instead,
/// so the plot still shows when the search spent time on them.
/// </summary>
internal static class HistoryPlot
{
    public const string FileName = "optimization-history.png";

    public static RenderedPlot? Build(IReadOnlyList<TrialRecord> trials, string metric, OptimizationDirection direction)
    {
        // Finish order is the order the tuner learned results in, which is what best-so-far means with parallel trials.
        var finished = trials.Where(t => t.IsFinished)
            .OrderBy(t => t.FinishedAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.Id).ToList();
        var scored = Enumerable.Range(0, finished.Count)
            .Where(i => finished[i].Status == TrialStatus.Completed && finished[i].Objective is { } o && double.IsFinite(o))
            .ToList();
        if (scored.Count == 0) return null;

        var plot = ReportPlot.Create("Optimization history", "Trial (in the order trials finished)", $"Objective ({metric})");
        double[] xs = scored.Select(i => i + 1.0).ToArray();
        double[] ys = scored.Select(i => finished[i].Objective!.Value).ToArray();

        var best = new double[ys.Length];
        for (int k = 0; k < ys.Length; k++)
            best[k] = k == 0 || direction.IsBetter(ys[k], best[k - 1]) ? ys[k] : best[k - 1];
        // Carry the best-so-far line to the last finished trial so its final level reads clearly.
        var lineX = xs.Append(finished.Count).ToArray();
        var lineY = best.Append(best[^1]).ToArray();
        var line = plot.Add.ScatterLine(lineX, lineY, ReportPlot.Best);
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LineWidth = 2;
        line.LegendText = "best so far";

        var points = plot.Add.ScatterPoints(xs, ys, ReportPlot.Completed);
        points.MarkerSize = 8;
        points.LegendText = "completed";

        double low = ys.Min(), high = ys.Max();
        double span = high > low ? high - low : Math.Max(Math.Abs(high) * 0.05, 0.01);
        double rug = low - 0.12 * span;
        foreach (var (label, status, shape, color) in new[]
        {
            ("pruned", TrialStatus.Pruned, MarkerShape.FilledTriangleDown, ReportPlot.Pruned),
            ("failed", TrialStatus.Failed, MarkerShape.Eks, ReportPlot.Failed),
            ("diverged", TrialStatus.Diverged, MarkerShape.FilledDiamond, ReportPlot.Diverged),
            ("completed, objective not finite", TrialStatus.Completed, MarkerShape.OpenCircle, ReportPlot.Diverged),
        })
        {
            var idle = Enumerable.Range(0, finished.Count)
                .Where(i => finished[i].Status == status && !scored.Contains(i)).Select(i => i + 1.0).ToArray();
            if (idle.Length == 0) continue;
            var marks = plot.Add.ScatterPoints(idle, idle.Select(_ => rug).ToArray(), color);
            marks.MarkerShape = shape;
            marks.MarkerSize = 9;
            marks.LegendText = $"{label} (no objective)";
        }

        plot.Axes.SetLimitsY(rug - 0.08 * span, high + 0.1 * span);
        plot.Axes.SetLimitsX(0.5, finished.Count + 0.5);
        if (finished.Count <= 20) plot.Axes.Bottom.TickGenerator = IntegerTicks(finished.Count);
        ReportPlot.LegendOutside(plot);
        return ReportPlot.Render(plot, FileName, $"Objective ({metric}) of each trial in finish order, with the best so far");
    }

    static ScottPlot.TickGenerators.NumericManual IntegerTicks(int count)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 1; i <= count; i++) ticks.AddMajor(i, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return ticks;
    }
}
