using Pipelines.Reports.Analysis;
using ScottPlot;

namespace Pipelines.Reports.Plots;

/// <summary>
/// The headline plots: validation metric, generalization gap and training throughput against batch size, on a log2
/// axis with a tick at every power of two. Points are trials (spread a little sideways where they share a batch
/// size); the line joins the medians per batch size.
/// </summary>
internal static class BatchSizePlots
{
    public const string MetricFileName = "batch-size-metric.png";
    public const string GapFileName = "batch-size-gap.png";
    public const string ThroughputFileName = "batch-size-throughput.png";

    public static IReadOnlyList<RenderedPlot> Build(IReadOnlyList<TrialFacts> trials, string metric)
    {
        var finished = trials.Where(t => t.BatchSize is > 0 && t.Trial.IsFinished).ToList();
        var completed = finished.Where(t => t.Trial.Status == TrialStatus.Completed).ToList();
        var plots = new List<RenderedPlot?>
        {
            Scatter(completed, t => t.Trial.ValidationMetric, $"Validation {metric} vs batch size", $"Validation {metric}",
                MetricFileName, $"Validation {metric} of completed Torch trials against batch size", zeroLine: false),
            Scatter(completed, t => t.Trial.GeneralizationGap, "Generalization gap vs batch size", $"Gap (train − validation {metric})",
                GapFileName, "Generalization gap of completed Torch trials against batch size", zeroLine: true),
            // Throughput does not depend on the outcome: pruned trials measured it too.
            Scatter(finished, t => t.SamplesPerSecond, "Training throughput vs batch size", "Samples per second",
                ThroughputFileName, "Training samples per second of Torch trials against batch size", zeroLine: false),
        };
        return plots.Where(p => p != null).Select(p => p!).ToList();
    }

    static RenderedPlot? Scatter(List<TrialFacts> trials, Func<TrialFacts, double?> value, string title, string yLabel,
        string fileName, string alt, bool zeroLine)
    {
        var points = trials.Select(t => (Batch: t.BatchSize!.Value, Value: value(t), t.Trial.Status))
            .Where(p => p.Value is { } v && double.IsFinite(v)).Select(p => (p.Batch, Value: p.Value!.Value, p.Status)).ToList();
        if (points.Count == 0) return null;

        var plot = ReportPlot.Create(title, "Batch size (log₂ scale)", yLabel);
        if (zeroLine) ReportPlot.ZeroLine(plot);
        var medians = points.GroupBy(p => p.Batch).OrderBy(g => g.Key)
            .Select(g => (X: Math.Log2(g.Key), Y: Stats.Quantile(g.Select(p => p.Value).ToList(), 0.5)!.Value)).ToList();
        var line = plot.Add.ScatterLine(medians.Select(m => m.X).ToArray(), medians.Select(m => m.Y).ToArray(), ReportPlot.Median);
        line.LineWidth = 2.5f;
        line.MarkerSize = 9;
        line.MarkerShape = MarkerShape.FilledSquare;
        line.LegendText = "median per batch size";

        var x = ReportPlot.Jittered(points.Select(p => p.Batch).ToList());
        foreach (var (status, label, color) in new[] { (TrialStatus.Completed, "completed trial", ReportPlot.Completed), (TrialStatus.Pruned, "pruned trial", ReportPlot.Pruned) })
        {
            var idx = Enumerable.Range(0, points.Count).Where(i => points[i].Status == status).ToList();
            if (idx.Count == 0) continue;
            var dots = plot.Add.ScatterPoints(idx.Select(i => x[i]).ToArray(), idx.Select(i => points[i].Value).ToArray(), color.WithAlpha(0.75));
            dots.MarkerSize = 7;
            dots.LegendText = label;
        }
        var others = Enumerable.Range(0, points.Count).Where(i => points[i].Status is not (TrialStatus.Completed or TrialStatus.Pruned)).ToList();
        if (others.Count > 0)
        {
            var dots = plot.Add.ScatterPoints(others.Select(i => x[i]).ToArray(), others.Select(i => points[i].Value).ToArray(), ReportPlot.Failed);
            dots.MarkerSize = 7;
            dots.MarkerShape = MarkerShape.Eks;
            dots.LegendText = "failed or diverged trial";
        }

        ReportPlot.Log2BatchAxis(plot, points.Select(p => p.Batch));
        var values = points.Select(p => p.Value).ToList();
        if (zeroLine) values.Add(0);
        ReportPlot.PaddedLimitsY(plot, values);
        ReportPlot.LegendOutside(plot);
        return ReportPlot.Render(plot, fileName, alt);
    }
}
