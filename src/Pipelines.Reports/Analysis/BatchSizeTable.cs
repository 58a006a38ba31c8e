
namespace Pipelines.Reports.Analysis;

/// <summary>The per-batch-size summary of Torch trials: the report's answer to "how did batch size change the result".</summary>
public static class BatchSizeTable
{
    /// <summary>One row per batch size, smallest first, over finished trials that have a batch size.</summary>
    public static IReadOnlyList<BatchSizeRow> Build(IEnumerable<TrialFacts> trials, OptimizationDirection direction)
    {
        ArgumentNullException.ThrowIfNull(trials);
        // Running trials are left out: their numbers are not final and would dilute the share pruned.
        return trials.Where(t => t.BatchSize is > 0 && t.Trial.IsFinished)
            .GroupBy(t => t.BatchSize!.Value)
            .OrderBy(g => g.Key)
            .Select(g => Row(g.Key, g.ToList(), direction))
            .ToList();
    }

    static BatchSizeRow Row(int batchSize, List<TrialFacts> trials, OptimizationDirection direction)
    {
        var completed = trials.Where(t => t.Trial.Status == TrialStatus.Completed).ToList();
        var metrics = Stats.Finite(completed.Select(t => t.Trial.ValidationMetric));
        double? best = metrics.Count == 0 ? null
            : direction == OptimizationDirection.Maximize ? metrics.Max() : metrics.Min();
        return new BatchSizeRow(
            batchSize,
            trials.Count,
            completed.Count,
            best,
            Stats.Quantile(metrics, 0.5),
            Stats.Median(completed.Select(t => t.Trial.GeneralizationGap)),
            Stats.Median(trials.Select(t => (double?)t.EpochsRun)),
            Stats.Median(trials.Select(t => t.SamplesPerSecond)),
            trials.Count(t => t.Trial.Status == TrialStatus.Pruned) / (double)trials.Count,
            Stats.Median(trials.Select(t => t.GradientNoiseScale)));
    }
}
