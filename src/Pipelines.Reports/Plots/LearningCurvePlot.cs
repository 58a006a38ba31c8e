using Pipelines.Torch.Training;
using ScottPlot;

namespace Pipelines.Reports.Plots;

/// <summary>
/// Per-epoch curves from the Torch trials' training reports: one plot of the trainer's metric, one of its loss, each
/// with validation (solid) and train (dashed) lines per trial. Pruned trials are drawn fainter, to show where the
/// pruner stopped them.
/// </summary>
internal static class LearningCurvePlot
{
    /// <summary>The plotted trials: the best completed ones first, then the pruned ones.</summary>
    public static IReadOnlyList<TrialFacts> Choose(IReadOnlyList<TrialFacts> trials, OptimizationDirection direction, int best = 5, int pruned = 3)
    {
        var withCurves = trials.Where(t => t.Report is { Epochs.Count: > 0 }).ToList();
        var top = withCurves.Where(t => t.Trial.Status == TrialStatus.Completed && t.Trial.Objective is { } o && double.IsFinite(o))
            .OrderBy(t => direction.ToLoss(t.Trial.Objective!.Value)).ThenBy(t => t.Trial.Id).Take(best);
        // The pruned trials that got furthest: their curves say most about what the pruner judged.
        var stopped = withCurves.Where(t => t.Trial.Status == TrialStatus.Pruned)
            .OrderByDescending(t => t.Report!.Epochs.Count).ThenBy(t => t.Trial.Id).Take(pruned);
        return top.Concat(stopped).ToList();
    }

    public static IReadOnlyList<RenderedPlot> Build(IReadOnlyList<TrialFacts> chosen)
    {
        if (chosen.Count == 0) return Array.Empty<RenderedPlot>();
        var first = chosen[0].Report!;
        return ReportPlot.Drawn(
            Curves(chosen, $"Learning curves: {first.MetricName} per epoch", first.MetricName, e => e.TrainMetric, e => e.ValidationMetric, "learning-curves-metric.png"),
            Curves(chosen, $"Learning curves: {first.LossName} per epoch", first.LossName, e => e.TrainLoss, e => e.ValidationLoss, "learning-curves-loss.png"));
    }

    static RenderedPlot? Curves(IReadOnlyList<TrialFacts> chosen, string title, string yLabel,
        Func<EpochReport, double?> train, Func<EpochReport, double?> validation, string fileName)
    {
        var plot = ReportPlot.Create(title, "Epoch", yLabel);
        var all = new List<double>();
        int maxEpoch = 1;
        for (int k = 0; k < chosen.Count; k++)
        {
            var trial = chosen[k];
            bool pruned = trial.Trial.Status == TrialStatus.Pruned;
            var color = ReportPlot.ColorAt(k);
            if (pruned) color = color.WithAlpha(0.55);
            string name = $"#{trial.Trial.Id}" + (trial.BatchSize is { } b ? $", batch {b}" : "") + (pruned ? " (pruned)" : "");
            var epochs = trial.Report!.Epochs;
            maxEpoch = Math.Max(maxEpoch, epochs.Max(e => e.Epoch));
            var v = AddLine(plot, epochs, validation, color, LinePattern.Solid, all);
            if (v != null) v.LegendText = name;
            var t = AddLine(plot, epochs, train, color, LinePattern.Dashed, all);
            // A trial without validation still needs a legend entry: its train line carries the name.
            if (t != null && v == null) t.LegendText = name + " (train only)";
        }
        if (all.Count == 0)
        {
            plot.Dispose();
            return null;
        }
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "solid: validation", LineColor = Colors.Gray, LineWidth = 2 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "dashed: train", LineColor = Colors.Gray, LineWidth = 2, LinePattern = LinePattern.Dashed });
        bool clipped = ReportPlot.RobustLimitsY(plot, all);
        plot.Axes.SetLimitsX(maxEpoch > 1 ? 0.8 : 0.5, maxEpoch > 1 ? maxEpoch + 0.2 : 1.5);
        ReportPlot.LegendOutside(plot);
        string alt = $"{yLabel} per epoch, validation and train, of the best Torch trials" + (clipped ? " (outlying early epochs cut off)" : "");
        return ReportPlot.Render(plot, fileName, alt);
    }

    static ScottPlot.Plottables.Scatter? AddLine(Plot plot, IReadOnlyList<EpochReport> epochs, Func<EpochReport, double?> value,
        Color color, LinePattern pattern, List<double> all)
    {
        var points = epochs.Select(e => (e.Epoch, Value: value(e)))
            .Where(p => p.Value is { } y && double.IsFinite(y)).Select(p => (X: (double)p.Epoch, Y: p.Value!.Value)).ToList();
        if (points.Count == 0) return null;
        all.AddRange(points.Select(p => p.Y));
        var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), color);
        line.LineWidth = 2;
        line.LinePattern = pattern;
        line.MarkerSize = points.Count == 1 ? 7 : 0;
        return line;
    }
}
