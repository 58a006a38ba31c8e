namespace Pipelines.AutoML.Trials;

/// <summary>Where a trial stands. Only <see cref="Running"/> is not final.</summary>
public enum TrialStatus
{
    Running,
    Completed,
    /// <summary>Stopped early by a pruner; its curve so far is kept.</summary>
    Pruned,
    /// <summary>Threw, or its process died while it ran.</summary>
    Failed,
    /// <summary>The loss became NaN or infinite.</summary>
    Diverged,
}

/// <summary>A value a trial reported at one step (an epoch for Torch trainers).</summary>
public sealed record IntermediateValue(int Step, double Value);

/// <summary>
/// Everything known about one trial: the plain record that storage writes, pruners read and reports show.
/// Metrics are in the experiment's metric (for example accuracy or RMSE); <see cref="Objective"/> is what the
/// tuner optimizes (the metric, optionally penalized by the generalization gap).
/// </summary>
public sealed record TrialRecord
{
    public required int Id { get; init; }
    public TrialStatus Status { get; init; } = TrialStatus.Running;
    public required Parameter Parameters { get; init; }
    /// <summary>The trainer this trial ran (for example "TorchMlp", "FastTree").</summary>
    public string? Trainer { get; init; }
    /// <summary>The validation metric after each epoch, as reported so far.</summary>
    public IReadOnlyList<IntermediateValue> IntermediateValues { get; init; } = Array.Empty<IntermediateValue>();
    public double? Objective { get; init; }
    public double? ValidationMetric { get; init; }
    public double? TrainMetric { get; init; }
    /// <summary>Train metric minus validation metric (for losses, validation minus train).</summary>
    public double? GeneralizationGap { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public double DurationSeconds { get; init; }
    /// <summary>Free-form details (training report JSON, batch size used, ...).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    public bool IsFinished => Status != TrialStatus.Running;

    /// <summary>The last reported intermediate value at or before <paramref name="step"/>, if any.</summary>
    public double? ValueAt(int step)
    {
        double? value = null;
        foreach (var v in IntermediateValues)
        {
            if (v.Step > step) break;
            value = v.Value;
        }
        return value;
    }
}
