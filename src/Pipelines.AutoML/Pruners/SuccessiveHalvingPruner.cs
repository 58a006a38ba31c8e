namespace Pipelines.AutoML.Pruners;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning"),
/// as Optuna's <c>SuccessiveHalvingPruner</c>, with epochs as the resource. A trial passes rungs at epochs
/// <c>minResource * reductionFactor^(minEarlyStoppingRate + k)</c>, k = 0, 1, ...; at each rung it goes on only if its
/// value is among the best <c>1 / reductionFactor</c> of the trials that have reached that rung so far.
/// </summary>
/// <remarks>
/// The rule, for a trial whose latest value <c>v</c> was reported at step <c>t</c> (1-based epoch), previous step
/// <c>t'</c> (0 when none):
/// <list type="number">
/// <item>A NaN or infinite <c>v</c> prunes at once, at any epoch: a broken metric counts as the worst value. (Optuna
/// prunes NaN only at a rung.)</item>
/// <item>Each rung whose epoch <c>r</c> satisfies <c>t' &lt; r &lt;= t</c> is reached now and judged in increasing order;
/// rungs at or before <c>t'</c> were judged at an earlier report, and nothing is judged between rungs.</item>
/// <item>The competitors at rung <c>r</c> are this trial's <c>v</c> and, for every other trial in
/// <c>trials</c> whatever its status (running trials of other workers included, as in Optuna), the first value it
/// reported at an epoch <c>&gt;= r</c>: the value Optuna records when a trial reaches the rung. Other trials whose
/// value there is NaN or infinite are left out: they were pruned there without entering the rung, as Optuna does for
/// NaN.</item>
/// <item>With <c>n</c> competitors, sorted best first, the trial is promoted when its value is at least as good as the
/// one at index <c>max(n / reductionFactor - 1, 0)</c> (integer division), that is when it is within the best
/// <c>floor(n / reductionFactor)</c>; while fewer than <c>reductionFactor</c> trials have reached the rung it must be the
/// best of them (ties promote). This is Optuna's rule: it cannot pause trials to wait for more of them, so it promotes
/// only the leader of a small rung.</item>
/// <item>A trial not promoted at a rung is pruned.</item>
/// </list>
/// Rung membership is read from stored values only, so a resumed study, or another worker, decides the same way.
/// With <c>minResource</c> null ("auto", Optuna's heuristic) the first rung is <c>max(e / 100, 1)</c> epochs, where
/// <c>e</c> is the last epoch of the first trial to complete (earliest <see cref="TrialRecord.FinishedAt"/>, then
/// lowest id, among completed trials with values); nothing is pruned before a trial completes, and rungs passed
/// before then are not judged afterwards.
/// </remarks>
public sealed class SuccessiveHalvingPruner : IPruner
{
    /// <param name="minResource">Epochs before the first rung (Optuna's r); null for "auto".</param>
    /// <param name="reductionFactor">Only the best 1/reductionFactor go past each rung (Optuna's and the paper's eta).</param>
    /// <param name="minEarlyStoppingRate">Shifts the first rung to <c>minResource * reductionFactor^minEarlyStoppingRate</c> (the paper's s).</param>
    public SuccessiveHalvingPruner(int? minResource = 1, int reductionFactor = 3, int minEarlyStoppingRate = 0)
    {
        if (minResource < 1) throw new ArgumentOutOfRangeException(nameof(minResource), minResource, "Must be at least 1, or null for auto.");
        if (reductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(reductionFactor), reductionFactor, "Must be at least 2.");
        if (minEarlyStoppingRate < 0) throw new ArgumentOutOfRangeException(nameof(minEarlyStoppingRate), minEarlyStoppingRate, "Cannot be negative.");
        MinResource = minResource;
        ReductionFactor = reductionFactor;
        MinEarlyStoppingRate = minEarlyStoppingRate;
    }

    /// <summary>Epochs before the first rung; null when estimated from the first completed trial ("auto").</summary>
    public int? MinResource { get; }
    public int ReductionFactor { get; }
    public int MinEarlyStoppingRate { get; }

    public bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> trials, OptimizationDirection direction)
    {
        var values = trial.IntermediateValues;
        if (LatestValue.Decides(values) is { } decided) return decided;
        var latest = values[^1];

        int? minResource = MinResource ?? EstimateMinResource(trials);
        if (minResource is null) return false;

        int previousStep = values.Count > 1 ? values[^2].Step : 0;
        foreach (long rungStep in RungSteps(minResource.Value))
        {
            if (rungStep > latest.Step) break;
            if (rungStep <= previousStep) continue;
            if (!IsPromotable(trial.Id, latest.Value, rungStep, trials, direction)) return true;
        }
        return false;
    }

    /// <summary>The epochs of the rungs, in increasing order, as long as they fit a step number.</summary>
    IEnumerable<long> RungSteps(int minResource)
    {
        long step = minResource;
        for (int i = 0; i < MinEarlyStoppingRate && step <= int.MaxValue; i++) step *= ReductionFactor;
        for (; step <= int.MaxValue; step *= ReductionFactor) yield return step;
    }

    bool IsPromotable(int trialId, double value, long rungStep, IReadOnlyList<TrialRecord> trials, OptimizationDirection direction)
    {
        double loss = direction.ToLoss(value);
        var competingLosses = new List<double> { loss };
        foreach (var other in trials)
        {
            if (other.Id == trialId) continue;
            if (ValueOnReaching(other, rungStep) is double otherValue && double.IsFinite(otherValue))
                competingLosses.Add(direction.ToLoss(otherValue));
        }
        competingLosses.Sort();
        int promotableIndex = Math.Max(competingLosses.Count / ReductionFactor - 1, 0);
        return loss <= competingLosses[promotableIndex];
    }

    /// <summary>The value a trial reported when it reached <paramref name="rungStep"/>: its first at or after it.</summary>
    static double? ValueOnReaching(TrialRecord trial, long rungStep)
    {
        foreach (var v in trial.IntermediateValues)
            if (v.Step >= rungStep) return v.Value;
        return null;
    }

    static int? EstimateMinResource(IReadOnlyList<TrialRecord> trials)
    {
        var firstCompleted = trials
            .Where(t => t.Status == TrialStatus.Completed && t.IntermediateValues.Count > 0)
            .OrderBy(t => t.FinishedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(t => t.Id)
            .FirstOrDefault();
        return firstCompleted is null ? null : Math.Max(firstCompleted.IntermediateValues[^1].Step / 100, 1);
    }
}
