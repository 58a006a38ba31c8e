namespace Pipelines.Cli.Display;

/// <summary>A consistent copy of a run's progress for one refresh of the display.</summary>
internal sealed record ProgressSnapshot
{
    public required TimeSpan Elapsed { get; init; }
    /// <summary>Null without a time budget.</summary>
    public TimeSpan? Remaining { get; init; }
    public required int StartedThisRun { get; init; }
    public int? TrialBudget { get; init; }
    /// <summary>Trials of the whole study by status (completed, pruned, failed, ...), earlier runs included.</summary>
    public required IReadOnlyDictionary<string, int> StatusCounts { get; init; }
    /// <summary>Running trials with their last epoch, if they report epochs.</summary>
    public required IReadOnlyList<(TrialRow Row, int? Epoch, int? PlannedEpochs, double? LastValue)> Running { get; init; }
    /// <summary>The best trials so far, in leaderboard order.</summary>
    public required IReadOnlyList<TrialRow> Leaders { get; init; }
    public int? BestId { get; init; }
}
