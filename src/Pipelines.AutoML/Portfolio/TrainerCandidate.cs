using Pipelines.Torch.Data;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Portfolio;

/// <summary>What a candidate needs to fit one trial.</summary>
public sealed record TrialFitContext
{
    public required MLContext MLContext { get; init; }
    public required PredictionKind Task { get; init; }
    /// <summary>Featurized training data (a Features vector and a Label of the task's type).</summary>
    public required IDataView Train { get; init; }
    /// <summary>Featurized validation data (for per-epoch metrics and early stopping of neural trainers).</summary>
    public IDataView? Validation { get; init; }
    public string LabelColumnName { get; init; } = "Label";
    public string FeatureColumnName { get; init; } = "Features";
    public int TrainRows { get; init; }
    public int Seed { get; init; }
    /// <summary>CPU threads this trial may use (the experiment splits the machine between parallel trials).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Receives each epoch of trainers that train in epochs; the experiment reports and prunes from it.</summary>
    public Action<EpochReport>? OnEpoch { get; init; }
    /// <summary>Receives the measurements inside each epoch, <see cref="CheckpointsPerEpoch"/> of them with the epoch's end (pruning on examples).</summary>
    public Action<CheckpointReport>? OnCheckpoint { get; init; }
    public int CheckpointsPerEpoch { get; init; } = 1;
    /// <summary>Signalled when the trial is pruned or the experiment is cancelled.</summary>
    public CancellationToken CancellationToken { get; init; }
}

/// <summary>A fitted trial: the model, and the Torch training report when the trainer trains in epochs.</summary>
public sealed record TrialFit(ITransformer Model, TrainingReport? TrainingReport = null)
{
    /// <summary>
    /// How much of the candidate's <see cref="TrainerCandidate.FidelityParameter"/> the fit used when it stopped early
    /// on the validation rows (LightGBM's boosting rounds); null when it used what it was given, or stops early by
    /// itself in a refit too (the Torch trainers hold out part of their rows when given no validation rows). A refit,
    /// which has no validation rows left to stop on, trains that much.
    /// </summary>
    public int? UsedFidelity { get; init; }
}

/// <summary>
/// A trainer in the AutoML portfolio: its name, the tasks it serves, its default search space, and how to fit it
/// with one sampled parameter. Torch trainers and ML.NET trainers (FastTree, LightGBM, linear) are candidates alike,
/// so they compete in one search.
/// </summary>
public abstract class TrainerCandidate
{
    /// <summary>Short name used in search spaces, leaderboards and the CLI (for example "torch-mlp", "fasttree").</summary>
    public abstract string Name { get; }

    public abstract bool Supports(PredictionKind task);

    /// <summary>The default search space for <paramref name="task"/> on <paramref name="trainRows"/> training rows.</summary>
    public abstract NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows);

    /// <summary>True when the trainer reports epochs (and can be pruned on them).</summary>
    public virtual bool TrainsInEpochs => false;

    /// <summary>
    /// The NuGet packages, besides Microsoft.ML, that an app needs to load this trainer's model (for generated
    /// consumption code and projects). Versions are not the candidate's business: the build states them once.
    /// </summary>
    public virtual IReadOnlyList<string> ModelPackages => Array.Empty<string>();

    /// <summary>
    /// The cost of a default trial on <paramref name="task"/> relative to the others (linear: 1), which orders first
    /// trials, and predicts an untried trainer's, before anything is measured.
    /// </summary>
    public virtual double RelativeCost(PredictionKind task) => 1;

    /// <summary>The integer parameter this trainer's cost grows with in proportion (trees, iterations, epochs), by which a trial is cut to fit a budget.</summary>
    public virtual string? FidelityParameter => null;

    /// <summary>The first trial of this trainer in a search, run before its tuner proposes anything: its space's default.</summary>
    public virtual Parameter FirstPoint(NestedSpace space, PredictionKind task, int trainRows) => space.Default;

    /// <summary>This candidate set to train on <paramref name="device"/> (auto, cpu, cuda, cuda:N); trainers without a device ignore it.</summary>
    public virtual TrainerCandidate OnDevice(string device) => this;

    public abstract TrialFit Fit(TrialFitContext context, Parameter parameters);

    /// <summary>
    /// A sampled point read into the candidate's typed options class <typeparamref name="T"/>, whose members carry the
    /// ranges and starting values (as ML.NET AutoML's search-space classes do). A parameter the point does not hold
    /// stays null, and the trainer then uses its own default for it: the empty point is the catalog's default trainer,
    /// which every search tries first.
    /// </summary>
    protected static T Read<T>(Parameter point) where T : class => point.AsType<T>();

    /// <summary>The default space of an options class, built once per class.</summary>
    protected static NestedSpace SpaceOf<T>() where T : class => Defaults<T>.Space;

    static class Defaults<T>
    {
        public static readonly NestedSpace Space = SearchSpaceBuilder.FromOptions<T>();
    }
}
