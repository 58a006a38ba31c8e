namespace Pipelines.Torch.BatchSize;

/// <summary>
/// How <see cref="BatchSizeSweep"/> runs: the batch sizes, the learning rate at each, the validation-loss target and
/// the budget. The defaults sweep powers of two from 16 to 1024 with the optimizer's scaling rule.
/// </summary>
public sealed class BatchSizeSweepOptions
{
    /// <summary>The batch sizes to train at; sizes above the training rows train full-batch, once.</summary>
    public int[] BatchSizes { get; set; } = { 16, 32, 64, 128, 256, 512, 1024 };

    public LearningRateSelection LearningRateSelection { get; set; } = LearningRateSelection.ScalingRule;

    /// <summary>With <see cref="LearningRateSelection.Search"/>: the multiples of the scaling rule's rate tried at each batch size.</summary>
    public double[] LearningRateFactors { get; set; } = { 0.5, 1, 2 };

    /// <summary>
    /// The validation loss every run trains to; each run stops when it gets there. Null: every run trains until its
    /// budget is spent or its loss has passed its minimum (<see cref="PlateauFactor"/>), and the target is a value every
    /// batch size reaches: the highest of the batch sizes' lowest validation losses, raised by
    /// <see cref="TargetMargin"/> of that run's drop in loss so that no batch size is timed at the flat bottom of its curve.
    /// </summary>
    public double? TargetLoss { get; set; }

    /// <summary>With an automatic target: the share of the hardest batch size's loss drop (first check to lowest) added to its lowest loss.</summary>
    public double TargetMargin { get; set; } = 0.02;

    /// <summary>
    /// A run stops once it has seen this many times the examples at which its validation loss was lowest without
    /// improving on it: it has passed its minimum (overfitting, or a plateau). Null: runs end at their target or budget only.
    /// </summary>
    public double? PlateauFactor { get; set; } = 2;

    /// <summary>Optimization time for the whole sweep, shared equally by its runs; null: runs are limited by <see cref="MaxEpochs"/> only.</summary>
    public double? TrainTimeSeconds { get; set; }

    /// <summary>The most epochs a run trains (with <see cref="MatchSteps"/>: the smallest batch size's epochs).</summary>
    public int MaxEpochs { get; set; } = 100;

    /// <summary>
    /// Give every run the optimizer steps the smallest batch size takes in <see cref="MaxEpochs"/> epochs, so larger
    /// batches train for proportionally more epochs (Hoffer et al. 2017, "train longer, generalize better"); off: the
    /// same epochs for every batch size (Keskar et al. 2017's comparison).
    /// </summary>
    public bool MatchSteps { get; set; }

    /// <summary>The validation loss is measured whenever the examples seen have grown by this factor (and before the first step).</summary>
    public double CheckGrowth { get; set; } = 1.1;

    /// <summary>The share of each run's optimization time the gradient noise measurement may take (see <see cref="Training.TorchTrainerOptions.NoiseScaleTimeShare"/>).</summary>
    public double NoiseScaleTimeShare { get; set; } = 0.1;

    /// <summary>Receives each run's start, its epochs and its end.</summary>
    public IProgress<BatchSizeSweepProgress>? Progress { get; set; }

    /// <summary>Stops the sweep between steps; <see cref="BatchSizeSweep"/> then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(BatchSizes is { Length: > 0 } && BatchSizes.All(b => b > 0), nameof(BatchSizes),
            BatchSizes is null ? null : "[" + string.Join(", ", BatchSizes) + "]", "must list positive batch sizes");
        Require(LearningRateFactors is { Length: > 0 } && LearningRateFactors.All(f => double.IsFinite(f) && f > 0), nameof(LearningRateFactors),
            LearningRateFactors is null ? null : "[" + string.Join(", ", LearningRateFactors) + "]", "must list positive factors");
        Require(TargetLoss is null || double.IsFinite(TargetLoss.Value), nameof(TargetLoss), TargetLoss, "must be a finite loss or null");
        Require(TrainTimeSeconds is null or > 0, nameof(TrainTimeSeconds), TrainTimeSeconds, "must be positive or null");
        Require(MaxEpochs > 0, nameof(MaxEpochs), MaxEpochs, "must be at least 1");
        Require(CheckGrowth > 1 && double.IsFinite(CheckGrowth), nameof(CheckGrowth), CheckGrowth, "must be a finite factor above 1");
        Require(TargetMargin >= 0 && TargetMargin < 1, nameof(TargetMargin), TargetMargin, "must be in [0, 1)");
        Require(PlateauFactor is null || (PlateauFactor > 1 && double.IsFinite(PlateauFactor.Value)), nameof(PlateauFactor), PlateauFactor, "must be a finite factor above 1, or null");
        Require(NoiseScaleTimeShare > 0 && NoiseScaleTimeShare <= 1, nameof(NoiseScaleTimeShare), NoiseScaleTimeShare, "must be in (0, 1]");
    }

    static void Require(bool condition, string name, object? value, string expectation)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, value, $"{name} = {value ?? "null"} {expectation}.");
    }
}
