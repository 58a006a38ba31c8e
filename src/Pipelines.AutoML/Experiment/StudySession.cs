using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// What every step of one experiment run shares: the study it writes to, the prepared data, the trainers, the pruner
/// and the monitor. Built once by <see cref="AutoMLExperiment"/>; the loop, the trial and the tell step read it.
/// </summary>
internal sealed record StudySession
{
    public required IStudyStorage Storage { get; init; }
    public required string StudyName { get; init; }
    public required ExperimentData Data { get; init; }
    public required IReadOnlyList<TrainerCandidate> Trainers { get; init; }
    public required IPruner Pruner { get; init; }
    public required IMonitor Monitor { get; init; }
    public double GapPenalty { get; init; }
    /// <summary>CPU threads each trial may use: the machine's, split between the parallel trials.</summary>
    public int Threads { get; init; } = 1;

    public OptimizationDirection Direction => Data.Direction;

    public TrainerCandidate Trainer(string name) => Trainers.First(t => t.Name == name);
}
