namespace Pipelines.Torch.Training;

/// <summary>
/// Options every TorchSharp trainer shares: data columns, the optimization (batch size, epochs, learning rate and its
/// schedule and batch-size scaling, weight decay), early stopping, validation, device, seed and progress.
/// The defaults train a reasonable model on small and medium tabular data.
/// </summary>
public abstract class TorchTrainerOptions
{
    /// <summary>The label column. Binary: Boolean; multiclass: a key; regression: Single or Double.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: a known-size vector of Single.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Examples per optimizer step. Larger than the training set means full-batch training (noted in the report).</summary>
    public int BatchSize { get; set; } = TrainerDefaults.BatchSize;

    /// <summary>Passes over the training data (fewer if early stopping triggers).</summary>
    public int Epochs { get; set; } = TrainerDefaults.Epochs;

    /// <summary>The learning rate at <see cref="ReferenceBatchSize"/>; see <see cref="LearningRateScaling"/>.</summary>
    public double LearningRate { get; set; } = TrainerDefaults.LearningRate;

    /// <summary>Weight decay (L2 for SGD and Adam, decoupled for AdamW).</summary>
    public double WeightDecay { get; set; }

    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Nesterov momentum for SGD.</summary>
    public bool Nesterov { get; set; }

    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>Epochs of linear warm-up from near zero to the (scheduled) learning rate.</summary>
    public int WarmupEpochs { get; set; }

    /// <summary>Step schedule: epochs between decays.</summary>
    public int StepEpochs { get; set; } = 30;

    /// <summary>Step schedule: the factor applied at each decay.</summary>
    public double StepGamma { get; set; } = 0.1;

    /// <summary>Cosine schedule: the rate reached at the last epoch.</summary>
    public double MinLearningRate { get; set; }

    public LearningRateScaling LearningRateScaling { get; set; } = LearningRateScaling.None;

    /// <summary>The batch size at which <see cref="LearningRate"/> is meant, for <see cref="LearningRateScaling"/>.</summary>
    public int ReferenceBatchSize { get; set; } = TrainerDefaults.BatchSize;

    /// <summary>Stop after this many epochs without a better validation loss; 0 turns early stopping off.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>The improvement in validation loss that counts as better.</summary>
    public double EarlyStoppingMinDelta { get; set; }

    /// <summary>With early stopping on: end with the weights of the best validation epoch.</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>Validation data for per-epoch metrics, the generalization gap and early stopping.</summary>
    public IDataView? ValidationSet { get; set; }

    /// <summary>When <see cref="ValidationSet"/> is null: the share of training rows held out (0 trains on all rows, with no validation).</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Clip the gradient's global L2 norm to this value; null for no clipping.</summary>
    public double? GradientClipNorm { get; set; }

    /// <summary>
    /// Estimate the gradient noise scale B_simple = tr(Σ) / |G|² while training (McCandlish et al. 2018, appendix A.1):
    /// some steps run their backward pass in <see cref="NoiseScaleMicroBatches"/> micro-batches, and the norms of
    /// the micro-batch gradients against their mean give |G|² and tr(Σ). Each epoch's report then holds the
    /// estimate. Off by default; when off nothing is measured or computed.
    /// </summary>
    public bool MeasureGradientNoiseScale { get; set; }

    /// <summary>Micro-batches a measured step is split into (at least 2; capped at the step's rows).</summary>
    public int NoiseScaleMicroBatches { get; set; } = 4;

    /// <summary>
    /// The largest share of the optimization time that measured steps may take; steps are measured whenever the
    /// measured ones so far stay within it. 1 measures every step.
    /// </summary>
    public double NoiseScaleTimeShare { get; set; } = 0.03;

    /// <summary>The factor of the moving averages of |G|² and tr(Σ), per measured step, in [0, 1).</summary>
    public double NoiseScaleSmoothing { get; set; } = 0.95;

    /// <summary>Seed for initialization, shuffling, dropout and the validation split. Null: drawn from the MLContext's seed.</summary>
    public int? Seed { get; set; }

    /// <summary>"auto" (CUDA if available), "cpu", "cuda" or "cuda:N". MLContext.GpuDeviceId and FallbackToCpu are honoured.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Intra-op threads for LibTorch on the CPU (process-wide); null keeps LibTorch's default.</summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>Standardize features inside the model with statistics of the training data (folded into the exported model).</summary>
    public bool StandardizeFeatures { get; set; } = true;

    /// <summary>Receives each epoch's report as training runs.</summary>
    public IProgress<EpochReport>? Progress { get; set; }

    /// <summary>
    /// Measure the validation loss and metric this many times per epoch, evenly spaced in examples, the last at the
    /// epoch's end (its <see cref="EpochReport"/>); the ones inside the epoch go to <see cref="Checkpoints"/>. 1: only at
    /// the epoch's end. Their time is left out of the reported training throughput.
    /// </summary>
    public int CheckpointsPerEpoch { get; set; } = 1;

    /// <summary>Receives the measurements inside each epoch (<see cref="CheckpointsPerEpoch"/> above 1, with validation rows).</summary>
    public IProgress<CheckpointReport>? Checkpoints { get; set; }

    /// <summary>Stops training between steps; Fit then throws <see cref="TrainingStoppedException"/> with the report so far.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>A shallow copy, for a variation of these options (the batch-size sweep's runs).</summary>
    internal TorchTrainerOptions Clone() => (TorchTrainerOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public virtual void Validate()
    {
        Require(BatchSize > 0, nameof(BatchSize), BatchSize, "must be a positive number of examples");
        Require(Epochs > 0, nameof(Epochs), Epochs, "must be at least 1");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "must be a positive finite number");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be zero or positive");
        Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "must be in [0, 1)");
        Require(!Nesterov || Optimizer != OptimizerKind.Sgd || Momentum > 0, nameof(Nesterov), Nesterov, "needs Momentum > 0");
        Require(WarmupEpochs >= 0 && WarmupEpochs <= Epochs, nameof(WarmupEpochs), WarmupEpochs, $"must be in [0, Epochs={Epochs}]");
        Require(StepEpochs > 0, nameof(StepEpochs), StepEpochs, "must be at least 1");
        Require(StepGamma > 0 && StepGamma <= 1, nameof(StepGamma), StepGamma, "must be in (0, 1]");
        Require(MinLearningRate >= 0 && MinLearningRate <= LearningRate, nameof(MinLearningRate), MinLearningRate, "must be in [0, LearningRate]");
        Require(ReferenceBatchSize > 0, nameof(ReferenceBatchSize), ReferenceBatchSize, "must be positive");
        Require(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be zero (off) or positive");
        Require(EarlyStoppingMinDelta >= 0, nameof(EarlyStoppingMinDelta), EarlyStoppingMinDelta, "must be zero or positive");
        Require(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
        Require(GradientClipNorm is null or > 0, nameof(GradientClipNorm), GradientClipNorm, "must be positive or null");
        Require(NoiseScaleMicroBatches >= 2, nameof(NoiseScaleMicroBatches), NoiseScaleMicroBatches, "must be at least 2");
        Require(NoiseScaleTimeShare > 0 && NoiseScaleTimeShare <= 1, nameof(NoiseScaleTimeShare), NoiseScaleTimeShare, "must be in (0, 1]");
        Require(NoiseScaleSmoothing >= 0 && NoiseScaleSmoothing < 1, nameof(NoiseScaleSmoothing), NoiseScaleSmoothing, "must be in [0, 1)");
        Require(CheckpointsPerEpoch >= 1, nameof(CheckpointsPerEpoch), CheckpointsPerEpoch, "must be at least 1 (the epoch's end)");
        Require(NumberOfThreads is null or > 0, nameof(NumberOfThreads), NumberOfThreads, "must be positive or null");
        Require(!string.IsNullOrWhiteSpace(LabelColumnName), nameof(LabelColumnName), LabelColumnName, "must name a column");
        Require(!string.IsNullOrWhiteSpace(FeatureColumnName), nameof(FeatureColumnName), FeatureColumnName, "must name a column");
    }

    protected static void Require(bool condition, string name, object? value, string expectation)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, value, $"{name} = {value ?? "null"} {expectation}.");
    }
}
