using Pipelines.AutoML.Storage;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>The best trial of an experiment, with its fitted model.</summary>
public sealed record BestTrial(TrialRecord Record, ITransformer Model, TrainingReport? TrainingReport, bool Refitted);

/// <summary>What an experiment found: the best trial and model, every trial, and a leaderboard.</summary>
public sealed record ExperimentResult
{
    public required BestTrial Best { get; init; }
    /// <summary>Every trial of the study in id order, including earlier runs of a resumed study.</summary>
    public required IReadOnlyList<TrialRecord> Trials { get; init; }
    /// <summary>The study as the run opened it (its direction, metric, search space and attributes).</summary>
    public required StudyRecord Study { get; init; }
    public required string Metric { get; init; }
    public required OptimizationDirection Direction { get; init; }
    public TimeSpan Elapsed { get; init; }
    /// <summary>What the final ensemble step found, when it ran (kept or not); null when it did not run.</summary>
    public EnsembleOutcome? Ensemble { get; init; }
    /// <summary>When the result is a trainer's defaults because the best trial did not beat them clearly (<see cref="DefaultGuard"/>); else null.</summary>
    public DefaultChoice? DefaultChoice { get; init; }
    /// <summary>
    /// The storage fault that stopped the search early (<see cref="StudyUnavailableException"/>, a damaged study), or
    /// null: the result is then built from the trials finished before it, and the study may lack the last of them.
    /// </summary>
    public Exception? StorageFault { get; init; }

    /// <summary>Completed trials from best to worst objective, then pruned, diverged and failed ones.</summary>
    public IReadOnlyList<TrialRecord> Leaderboard => Trials
        .OrderBy(t => t.Status == TrialStatus.Completed ? 0 : t.Status == TrialStatus.Pruned ? 1 : 2)
        .ThenBy(t => t.Objective is { } o ? Direction.ToLoss(o) : double.PositiveInfinity)
        .ThenBy(t => t.Id)
        .ToList();
}

/// <summary>An experiment that produced no usable model; the message summarizes why.</summary>
public sealed class AutoMLException(string message, IReadOnlyList<TrialRecord> trials) : Exception(message)
{
    public IReadOnlyList<TrialRecord> Trials { get; } = trials;
}
