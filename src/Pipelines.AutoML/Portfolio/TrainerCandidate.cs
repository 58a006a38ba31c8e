using Microsoft.ML;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.SearchSpaces;
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
    /// <summary>Signalled when the trial is pruned or the experiment is cancelled.</summary>
    public CancellationToken CancellationToken { get; init; }
}

/// <summary>A fitted trial: the model, and the Torch training report when the trainer trains in epochs.</summary>
public sealed record TrialFit(ITransformer Model, TrainingReport? TrainingReport = null);

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

    public abstract TrialFit Fit(TrialFitContext context, Parameter parameters);

    /// <summary>Reads an optional value from a sampled parameter.</summary>
    protected static T Get<T>(Parameter p, string name, T fallback, Func<Parameter, T> read) => p.ContainsKey(name) ? read(p[name]) : fallback;
}
