namespace Pipelines.AutoML.Trials;

/// <summary>The order of a study's trials, best first: the leaderboard's, the tell step's, the ensemble's and the result's.</summary>
public static class TrialRanking
{
    /// <summary>Completed trials by objective (ties by id), then pruned, then diverged and failed ones, then any still running.</summary>
    public static IReadOnlyList<TrialRecord> Rank(IEnumerable<TrialRecord> trials, OptimizationDirection direction) => trials
        .OrderBy(t => t.Status == TrialStatus.Completed ? 0 : t.Status == TrialStatus.Pruned ? 1 : t.Status == TrialStatus.Running ? 3 : 2)
        .ThenBy(t => t.Objective is { } o ? direction.ToLoss(o) : double.PositiveInfinity)
        .ThenBy(t => t.Id)
        .ToList();

    /// <summary>The completed trials with a finite objective, best first (ties by id).</summary>
    public static IEnumerable<TrialRecord> Completed(IEnumerable<TrialRecord> trials, OptimizationDirection direction) => trials
        .Where(t => t.Status == TrialStatus.Completed && t.Objective is { } o && double.IsFinite(o))
        .OrderBy(t => direction.ToLoss(t.Objective!.Value))
        .ThenBy(t => t.Id);
}
