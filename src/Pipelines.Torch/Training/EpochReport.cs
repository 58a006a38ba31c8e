using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipelines.Torch.Training;

/// <summary>
/// One epoch of training. Train and validation loss and metric are measured in eval mode after the epoch (the
/// train side on a fixed sample of the training set), so their difference is a real generalization gap, not an
/// artefact of running averages and dropout.
/// </summary>
public sealed record EpochReport
{
    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; init; }
    /// <summary>The epochs training was asked to run (it may stop earlier).</summary>
    public int PlannedEpochs { get; init; }
    /// <summary>Training examples seen from the start of the run to this epoch's end (the rows times the epochs, for a run not stopped inside one).</summary>
    public long Examples { get; init; }
    public double TrainLoss { get; init; }
    /// <summary>Accuracy for classification, R^2 for regression (higher is better).</summary>
    public double TrainMetric { get; init; }
    public double? ValidationLoss { get; init; }
    public double? ValidationMetric { get; init; }
    /// <summary>Train metric minus validation metric (docs/batch-size.md); positive means overfitting. Null without validation.</summary>
    public double? GeneralizationGap => ValidationMetric is { } v ? TrainMetric - v : null;
    /// <summary>Validation loss minus train loss. Null without validation.</summary>
    public double? LossGap => ValidationLoss is { } v ? v - TrainLoss : null;
    /// <summary>The learning rate of the epoch's last step.</summary>
    public double LearningRate { get; init; }
    public int BatchSize { get; init; }
    /// <summary>Optimizer steps in this epoch.</summary>
    public int Steps { get; init; }
    /// <summary>Training examples per second over the optimization phase of the epoch.</summary>
    public double SamplesPerSecond { get; init; }
    /// <summary>Wall time of the whole epoch, evaluation included.</summary>
    public double Seconds { get; init; }

    // The gradient noise scale (TorchTrainerOptions.MeasureGradientNoiseScale): the moving averages at the end of the
    // epoch. Null, and absent from the JSON, when it is not measured.

    /// <summary>B_simple = tr(Σ) / |G|² in examples (McCandlish et al. 2018); null while the |G|² average is not positive.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? GradientNoiseScale { get; init; }
    /// <summary>|G|², the squared norm of the full-data gradient.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? GradientSquaredNorm { get; init; }
    /// <summary>tr(Σ), the trace of the covariance of a single example's gradient.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? GradientVarianceTrace { get; init; }
    /// <summary>Steps of this epoch whose gradient noise was measured.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? NoiseScaleSteps { get; init; }
}

/// <summary>The whole training run: per-epoch history, best epoch, why it stopped, and the settings that shaped it.</summary>
public sealed record TrainingReport
{
    public required string Task { get; init; }
    /// <summary>Name of <see cref="EpochReport.TrainMetric"/>: "Accuracy" or "RSquared".</summary>
    public required string MetricName { get; init; }
    /// <summary>Name of the loss: "LogLoss", "CrossEntropy" or "MeanSquaredError".</summary>
    public required string LossName { get; init; }
    public required IReadOnlyList<EpochReport> Epochs { get; init; }
    /// <summary>1-based epoch with the lowest validation loss (the last epoch without validation).</summary>
    public int BestEpoch { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public StopReason StopReason { get; init; }
    public long TotalOptimizerSteps { get; init; }
    public int RequestedBatchSize { get; init; }
    /// <summary>The batch size used: the requested one, capped at the training rows.</summary>
    public int BatchSize { get; init; }
    public bool FullBatch { get; init; }
    /// <summary>The learning rate as given (meant at <see cref="ReferenceBatchSize"/>).</summary>
    public double BaseLearningRate { get; init; }
    /// <summary>The peak learning rate after batch-size scaling.</summary>
    public double ScaledLearningRate { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public LearningRateScaling LearningRateScaling { get; init; }
    public int ReferenceBatchSize { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public OptimizerKind Optimizer { get; init; }
    public int TrainRows { get; init; }
    public int ValidationRows { get; init; }
    public required string Device { get; init; }
    public int Seed { get; init; }
    public long ParameterCount { get; init; }
    public double TotalSeconds { get; init; }
    /// <summary>Things the user should know: full-batch training, restored weights, divergence.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    public EpochReport? Best => BestEpoch >= 1 && BestEpoch <= Epochs.Count ? Epochs[BestEpoch - 1] : null;

    // A diverged run has NaN or infinite losses: write them as "NaN" / "Infinity" rather than fail.
    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static TrainingReport FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingReport>(json, JsonOptions) ?? throw new JsonException("Empty training report JSON.");
}
