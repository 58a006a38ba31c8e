namespace Pipelines.AutoML.Pruners;

/// <summary>
/// The median stopping rule, as Optuna's <c>MedianPruner</c>: after an epoch, stop the trial if its best value so far
/// is worse than the median of the completed trials' values at that same epoch.
/// </summary>
/// <remarks>
/// The rule, for a trial whose latest value was reported at step <c>t</c> (1-based epoch):
/// <list type="number">
/// <item>A NaN or infinite latest value prunes at once, before any other check: a broken metric counts as the worst
/// value and waiting does not mend it. (Optuna prunes only when every value is NaN.)</item>
/// <item>No pruning while fewer than <see cref="NumberOfStartupTrials"/> trials (and never while no trial) are
/// <see cref="TrialStatus.Completed"/>; pruned, failed and running trials do not count, as in Optuna.</item>
/// <item>No pruning during the first <see cref="NumberOfWarmupSteps"/> epochs (<c>t &lt;= warm-up</c>). Optuna counts
/// steps from 0 and protects steps <c>0 .. warm-up - 1</c>; epochs count from 1 here, so the same number of reports
/// is protected.</item>
/// <item>Checks are due at epochs <c>warm-up + 1</c>, <c>warm-up + 1 + interval</c>, ...; a check whose epoch had no
/// report happens at the next report, and between checks nothing is pruned.</item>
/// <item>The trial's value is its best finite value so far (largest when maximizing, smallest when minimizing), as in
/// Optuna's code: a noisy dip in the latest epoch does not stop a curve that was already good.</item>
/// <item>The reference is the median of the finite values that completed trials reported at exactly step <c>t</c>
/// (an even count takes the mean of the two middle values, as numpy's 50th percentile); completed trials without a
/// value at <c>t</c> are left out, and with none left there is no pruning.</item>
/// <item>Prune when the best value is strictly worse than that median.</item>
/// </list>
/// </remarks>
public sealed class MedianPruner : IPruner
{
    /// <param name="numberOfStartupTrials">No pruning until this many trials of the study have completed.</param>
    /// <param name="numberOfWarmupSteps">Epochs at the start of each trial that are never pruned.</param>
    /// <param name="intervalSteps">Epochs between pruning checks, counted from the first epoch after warm-up.</param>
    public MedianPruner(int numberOfStartupTrials = 5, int numberOfWarmupSteps = 0, int intervalSteps = 1)
    {
        if (numberOfStartupTrials < 0) throw new ArgumentOutOfRangeException(nameof(numberOfStartupTrials), numberOfStartupTrials, "Cannot be negative.");
        if (numberOfWarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(numberOfWarmupSteps), numberOfWarmupSteps, "Cannot be negative.");
        if (intervalSteps < 1) throw new ArgumentOutOfRangeException(nameof(intervalSteps), intervalSteps, "Must be at least 1.");
        NumberOfStartupTrials = numberOfStartupTrials;
        NumberOfWarmupSteps = numberOfWarmupSteps;
        IntervalSteps = intervalSteps;
    }

    public int NumberOfStartupTrials { get; }
    public int NumberOfWarmupSteps { get; }
    public int IntervalSteps { get; }

    public bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> trials, OptimizationDirection direction)
    {
        var values = trial.IntermediateValues;
        if (LatestValue.Decides(values) is { } decided) return decided;
        var latest = values[^1];

        var completedTrials = trials.Where(t => t.Status == TrialStatus.Completed && t.Id != trial.Id).ToList();
        if (completedTrials.Count == 0 || completedTrials.Count < NumberOfStartupTrials) return false;

        int step = latest.Step;
        if (step <= NumberOfWarmupSteps) return false;
        if (!IsFirstReportSinceCheckWasDue(step, values)) return false;

        double bestLoss = values.Where(v => double.IsFinite(v.Value)).Min(v => direction.ToLoss(v.Value));
        double? medianLoss = MedianLoss(completedTrials, step, direction);
        return medianLoss is double median && bestLoss > median;
    }

    bool IsFirstReportSinceCheckWasDue(int step, IReadOnlyList<IntermediateValue> values)
    {
        int firstCheckStep = NumberOfWarmupSteps + 1;
        int latestDueCheckStep = (step - firstCheckStep) / IntervalSteps * IntervalSteps + firstCheckStep;
        int previousStep = values.Count > 1 ? values[^2].Step : 0;
        return previousStep < latestDueCheckStep;
    }

    static double? MedianLoss(IEnumerable<TrialRecord> completedTrials, int step, OptimizationDirection direction)
    {
        var losses = completedTrials
            .SelectMany(t => t.IntermediateValues.Where(v => v.Step == step).Take(1))
            .Where(v => double.IsFinite(v.Value))
            .Select(v => direction.ToLoss(v.Value))
            .OrderBy(loss => loss)
            .ToList();
        if (losses.Count == 0) return null;
        int middle = losses.Count / 2;
        return losses.Count % 2 == 1 ? losses[middle] : (losses[middle - 1] + losses[middle]) / 2;
    }
}
