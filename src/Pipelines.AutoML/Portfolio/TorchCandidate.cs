using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// What the TorchSharp candidates share: they train in epochs (so pruners act on them), and batch size, epochs,
/// learning rate, weight decay and optimizer are read from a sampled parameter into the shared trainer options. With
/// <see cref="LearningRateScaling"/> set, the searched learning rate is the rate at <see cref="ReferenceBatchSize"/>
/// and the trainer scales it to each trial's batch size; the training report shows both.
/// </summary>
public abstract class TorchCandidate : TrainerCandidate
{
    private protected TorchCandidate(int referenceBatchSize) => ReferenceBatchSize = referenceBatchSize;

    public override bool TrainsInEpochs => true;

    public LearningRateScaling LearningRateScaling { get; init; } = LearningRateScaling.None;
    public int ReferenceBatchSize { get; init; }
    /// <summary>Epochs without validation improvement before a trial stops by itself (0: off).</summary>
    public int EarlyStoppingPatience { get; init; }
    public string Device { get; init; } = "auto";

    /// <summary>The largest power of two from <paramref name="limit"/> down to 16 that fits the training rows: a bigger batch is the whole set.</summary>
    private protected static int MaxBatchSize(int limit, int trainRows)
    {
        int max = limit;
        while (max > 16 && max > trainRows) max /= 2;
        return max;
    }

    /// <summary>
    /// Fills the options every Torch trainer shares from <paramref name="p"/> and <paramref name="context"/>; a value
    /// the space does not hold keeps the one already in <paramref name="options"/>.
    /// </summary>
    private protected T WithSharedOptions<T>(T options, Parameter p, TrialFitContext context) where T : TorchTrainerOptions
    {
        options.LabelColumnName = context.LabelColumnName;
        options.FeatureColumnName = context.FeatureColumnName;
        options.BatchSize = Get(p, "batch_size", options.BatchSize, v => v.AsInt());
        options.Epochs = Get(p, "epochs", options.Epochs, v => v.AsInt());
        options.LearningRate = Get(p, "learning_rate", options.LearningRate, v => v.AsDouble());
        options.WeightDecay = Get(p, "weight_decay", options.WeightDecay, v => v.AsDouble());
        options.Optimizer = Get(p, "optimizer", options.Optimizer, v => ParseOptimizer(v.AsString()));
        options.LearningRateScaling = LearningRateScaling;
        options.ReferenceBatchSize = ReferenceBatchSize;
        options.EarlyStoppingPatience = EarlyStoppingPatience;
        options.ValidationSet = context.Validation;
        options.ValidationFraction = context.Validation == null ? 0.1 : 0;
        options.Seed = context.Seed;
        options.Device = Device;
        options.NumberOfThreads = context.Threads;
        options.Progress = context.OnEpoch == null ? null : new CallbackProgress(context.OnEpoch);
        options.CancellationToken = context.CancellationToken;
        return options;
    }

    static OptimizerKind ParseOptimizer(string name) => name.ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        _ => throw new ArgumentException($"Unknown optimizer '{name}': expected adam, adamw or sgd."),
    };

    /// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class CallbackProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
