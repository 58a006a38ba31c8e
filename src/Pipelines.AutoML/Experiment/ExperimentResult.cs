using Pipelines.AutoML.Storage;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>The best trial of an experiment, with its fitted model.</summary>
/// <param name="Refitted">Whether every model in it was fitted again on training plus validation rows.</param>
public sealed record BestTrial(TrialRecord Record, ITransformer Model, TrainingReport? TrainingReport, bool Refitted)
{
    /// <summary>
    /// The trials whose configuration was fitted again on training plus validation rows: all of the result's models
    /// when <see cref="Refitted"/>; some of a kept ensemble's members when only their refit fitted the budget.
    /// </summary>
    public IReadOnlyList<int> RefittedTrialIds { get; init; } = [];

    /// <summary>
    /// Whether a refit began and was stopped at the end of the time budget and its allowance (it took longer than its
    /// trial's time predicted); the model is then the one the search trained.
    /// </summary>
    public bool RefitStopped { get; init; }
}

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
    /// <summary>Of <see cref="Elapsed"/>, the seconds after the search: the final ensemble step, and the final model (refit or retrain).</summary>
    public (double Ensemble, double FinalModel) EndSeconds { get; init; }
    /// <summary>What the final ensemble step found, when it ran (kept or not); null when it did not run.</summary>
    public EnsembleOutcome? Ensemble { get; init; }
    /// <summary>When the result is a trainer's defaults because the best trial did not beat them clearly (<see cref="DefaultGuard"/>); else null.</summary>
    public DefaultChoice? DefaultChoice { get; init; }
    /// <summary>
    /// The storage fault that stopped the search early (<see cref="StudyUnavailableException"/>, a damaged study), or
    /// null: the result is then built from the trials finished before it, and the study may lack the last of them.
    /// </summary>
    public Exception? StorageFault { get; init; }

    /// <summary>Completed trials from best to worst objective, then pruned, diverged and failed ones (<see cref="TrialRanking.Rank"/>).</summary>
    public IReadOnlyList<TrialRecord> Leaderboard => TrialRanking.Rank(Trials, Direction);
}

/// <summary>An experiment that produced no usable model; the message summarizes why.</summary>
public sealed class AutoMLException(string message, IReadOnlyList<TrialRecord> trials) : Exception(message)
{
    public IReadOnlyList<TrialRecord> Trials { get; } = trials;
}
