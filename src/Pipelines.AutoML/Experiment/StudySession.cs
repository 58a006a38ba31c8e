using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.Storage;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// What every step of one experiment run shares: the study it writes to, the prepared data, the trainers, the pruner
/// and the monitor, and the CPU threads each trial may use (the machine's, split between the parallel trials). Built
/// once by <see cref="AutoMLExperiment"/>; the loop, the trial and the tell step read it.
/// </summary>
internal sealed record StudySession(IStudyStorage Storage, string StudyName, ExperimentData Data, IReadOnlyList<TrainerCandidate> Trainers,
    IPruner Pruner, IMonitor Monitor, double GapPenalty, int Threads)
{
    /// <summary>How often a running trial tells the study it is alive (<see cref="TrialHeartbeat"/>).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TrialHeartbeat.DefaultInterval;

    /// <summary>What the steps of the intermediate values the pruner compares count.</summary>
    public PruningFidelity Fidelity { get; init; }

    /// <summary>The study's trials as the loop and the pruner read them, re-reading only those that can have changed.</summary>
    public StudyTrials Trials { get; } = new(Storage, StudyName);

    public OptimizationDirection Direction => Data.Direction;

    public TrainerCandidate Trainer(string name) => Trainers.First(t => t.Name == name);
}
