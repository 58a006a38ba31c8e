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
    public static IReadOnlyList<RenderedPlot> Build(IReadOnlyList<TrialFacts> trials, string metric)
    {
        var finished = trials.Where(t => t.BatchSize is > 0 && t.Trial.IsFinished).ToList();
        var completed = finished.Where(t => t.Trial.Status == TrialStatus.Completed).ToList();
        return ReportPlot.Drawn(
            Scatter(completed, t => t.Trial.ValidationMetric, $"Validation {metric} vs batch size", $"Validation {metric}",
                "batch-size-metric.png", $"Validation {metric} of completed Torch trials against batch size", zeroLine: false),
            Scatter(completed, t => t.Trial.GeneralizationGap, "Generalization gap vs batch size", $"Gap (train − validation {metric})",
                "batch-size-gap.png", "Generalization gap of completed Torch trials against batch size", zeroLine: true),
            // Throughput does not depend on the outcome: pruned trials measured it too.
            Scatter(finished, t => t.SamplesPerSecond, "Training throughput vs batch size", "Samples per second",
                "batch-size-throughput.png", "Training samples per second of Torch trials against batch size", zeroLine: false));
    }

    static RenderedPlot? Scatter(List<TrialFacts> trials, Func<TrialFacts, double?> value, string title, string yLabel,
        string fileName, string alt, bool zeroLine) =>
        AgainstBatchSizePlot.Build(trials, t => t.BatchSize!.Value, value, title, yLabel, "median per batch size", fileName, alt, zeroLine, AddTrials);

    /// <summary>The trials as dots by state, spread a little sideways where they share a batch size.</summary>
    static void AddTrials(Plot plot, IReadOnlyList<(TrialFacts Trial, int Batch, double Value)> points)
    {
        var x = ReportPlot.Jittered(points.Select(p => p.Batch).ToList());
        void Dots(Func<TrialStatus, bool> which, Color color, string label, MarkerShape? shape = null)
        {
            var idx = Enumerable.Range(0, points.Count).Where(i => which(points[i].Trial.Trial.Status)).ToList();
            if (idx.Count == 0) return;
            var dots = plot.Add.ScatterPoints(idx.Select(i => x[i]).ToArray(), idx.Select(i => points[i].Value).ToArray(), color);
            dots.MarkerSize = 7;
            if (shape is { } s) dots.MarkerShape = s;
            dots.LegendText = label;
        }
        Dots(s => s == TrialStatus.Completed, ReportPlot.Completed.WithAlpha(0.75), "completed trial");
        Dots(s => s == TrialStatus.Pruned, ReportPlot.Pruned.WithAlpha(0.75), "pruned trial");
        Dots(s => s is not (TrialStatus.Completed or TrialStatus.Pruned), ReportPlot.Failed, "failed or diverged trial", MarkerShape.Eks);
    }
}
