using Pipelines.Torch.BatchSize;
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

    public override string? FidelityParameter => EpochsParameter;

    /// <summary>How the searched rate follows the batch size; null: the optimizer's rule (linear for SGD, square root for Adam).</summary>
    public LearningRateScaling? LearningRateScaling { get; init; }
    public int ReferenceBatchSize { get; init; }
    /// <summary>Epochs without validation improvement before a trial stops by itself and takes back its best epoch's weights (0: off).</summary>
    public int EarlyStoppingPatience { get; init; } = 10;
    /// <summary>Measure each trial's gradient noise scale (a few percent of training time), which the report sets beside the tuned batch size.</summary>
    public bool MeasureGradientNoiseScale { get; init; } = true;

    public string Device { get => _device; init => _device = value; }
    string _device = "auto";

    /// <summary>The model is an ONNX graph behind Pipelines.Torch's output mappings; no LibTorch is needed to predict.</summary>
    public override IReadOnlyList<string> ModelPackages => new[] { "Pipelines.Torch" };

    public override TrainerCandidate OnDevice(string device)
    {
        var copy = (TorchCandidate)MemberwiseClone();
        copy._device = device;
        return copy;
    }

    /// <summary>The keys of the parameters every Torch candidate's space has (its typed options class implements <see cref="ISharedOptions"/>).</summary>
    public const string BatchSizeParameter = "batch_size", EpochsParameter = "epochs", LearningRateParameter = "learning_rate",
        WeightDecayParameter = "weight_decay", OptimizerParameter = "optimizer";

    /// <summary>What every Torch candidate's typed options class holds, read into the shared trainer options.</summary>
    /// <remarks>A null keeps the trainer's own default.</remarks>
    public interface ISharedOptions
    {
        int? BatchSize { get; }
        int? Epochs { get; }
        double? LearningRate { get; }
        double? WeightDecay { get; }
        /// <summary>adam, adamw or sgd.</summary>
        string? Optimizer { get; }
    }

    /// <summary>
    /// The space of <typeparamref name="T"/> with its batch sizes capped at the training rows: the largest power of two
    /// down to 16 that fits them, since a bigger batch is the whole set.
    /// </summary>
    private protected static NestedSpace WithBatchSizesCapped<T>(int trainRows) where T : class, ISharedOptions
    {
        var space = SpaceOf<T>();
        var batch = (NumericSpace)space[BatchSizeParameter];
        int max = (int)batch.Max;
        while (max > 16 && max > trainRows) max /= 2;
        int? preferred = batch.DefaultValue is { } d ? Math.Min((int)d, max) : null;
        return space.With(BatchSizeParameter, new NumericSpace(NumericType.Int, batch.Min, max, logBase: true, preferred, powerOfTwo: true));
    }

    /// <summary>Fills the options every Torch trainer shares from the sampled values <paramref name="o"/> and <paramref name="context"/>.</summary>
    private protected T WithSharedOptions<T>(T options, ISharedOptions o, TrialFitContext context) where T : TorchTrainerOptions
    {
        options.LabelColumnName = context.LabelColumnName;
        options.FeatureColumnName = context.FeatureColumnName;
        if (o.BatchSize is { } batch) options.BatchSize = batch;
        if (o.Epochs is { } epochs) options.Epochs = epochs;
        if (o.LearningRate is { } rate) options.LearningRate = rate;
        if (o.WeightDecay is { } decay) options.WeightDecay = decay;
        if (o.Optimizer is { } optimizer) options.Optimizer = ParseOptimizer(optimizer);
        // The searched rate is the rate at the reference batch size, scaled by the optimizer's rule (linear for SGD,
        // square root for Adam), so a good rate stays good when the batch size changes.
        options.LearningRateScaling = LearningRateScaling ?? BatchSizeSweep.RuleFor(options);
        options.ReferenceBatchSize = ReferenceBatchSize;
        options.EarlyStoppingPatience = EarlyStoppingPatience;
        options.MeasureGradientNoiseScale = MeasureGradientNoiseScale;
        options.ValidationSet = context.Validation;
        options.ValidationFraction = context.Validation == null ? 0.1 : 0;
        options.Seed = context.Seed;
        options.Device = Device;
        options.NumberOfThreads = context.Threads;
        options.Progress = context.OnEpoch == null ? null : new CallbackProgress<EpochReport>(context.OnEpoch);
        options.Checkpoints = context.OnCheckpoint == null ? null : new CallbackProgress<CheckpointReport>(context.OnCheckpoint);
        options.CheckpointsPerEpoch = context.CheckpointsPerEpoch;
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
    sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
