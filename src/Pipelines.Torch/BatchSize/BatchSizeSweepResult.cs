namespace Pipelines.Torch.BatchSize;

/// <summary>
/// A finished batch-size sweep: every run, one point per batch size at the target, the fitted critical batch size,
/// the measured gradient noise scale, and the recommendation.
/// </summary>
public sealed record BatchSizeSweepResult
{
    /// <summary>"BinaryClassification", "MulticlassClassification" or "Regression".</summary>
    public required string Task { get; init; }
    /// <summary>The metric of the points' train and validation columns: "Accuracy" or "RSquared".</summary>
    public required string MetricName { get; init; }
    /// <summary>The loss the target is in: "LogLoss", "CrossEntropy" or "MeanSquaredError".</summary>
    public required string LossName { get; init; }
    public required double TargetLoss { get; init; }
    /// <summary>Whether the caller set the target (else it is the highest of the batch sizes' lowest losses).</summary>
    public required bool TargetGiven { get; init; }
    public required LearningRateSelection LearningRateSelection { get; init; }
    /// <summary>How the rate followed the batch size: the trainer's own scaling, else linear for SGD and square root for Adam; None with <see cref="LearningRateSelection.Fixed"/>.</summary>
    public required LearningRateScaling LearningRateRule { get; init; }
    public required int TrainRows { get; init; }
    public required int ValidationRows { get; init; }
    public required IReadOnlyList<BatchSizeRun> Runs { get; init; }
    /// <summary>One point per batch size, smallest first.</summary>
    public required IReadOnlyList<BatchSizePoint> Points { get; init; }
    /// <summary>The steps-examples fit over the points that reached the target; null with fewer than two.</summary>
    public CriticalBatchSizeFit? Fit { get; init; }
    /// <summary>B_crit = E_min / S_min from <see cref="Fit"/>.</summary>
    public double? CriticalBatchSize => Fit?.CriticalBatchSize;
    /// <summary>The median over the points of B_simple measured at the target, to set beside <see cref="CriticalBatchSize"/>.</summary>
    public double? GradientNoiseScale { get; init; }
    /// <summary>Optimization time per step against batch size over the runs.</summary>
    public StepTimeModel? StepTime { get; init; }
    public required BatchSizeRecommendation Recommendation { get; init; }
    /// <summary>Things to know: batch sizes capped at the training rows, runs that diverged or never reached the target.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
}
