namespace Pipelines.Torch.BatchSize;

/// <summary>
/// One batch size's result in a sweep (one row of batch-size.csv): its learning rate, what it took to reach the
/// target, its throughput, where its run ended (train and validation metric, gap) and the noise scale it measured.
/// </summary>
public sealed record BatchSizePoint
{
    public required int BatchSize { get; init; }
    /// <summary>The learning rate of the run this row reports (with a search, the one that reached the target in the fewest steps).</summary>
    public required double LearningRate { get; init; }
    /// <summary>Optimizer steps to the target; null if the run never reached it.</summary>
    public double? Steps { get; init; }
    /// <summary>Training examples to the target.</summary>
    public double? Examples { get; init; }
    /// <summary>Optimization seconds to the target.</summary>
    public double? Seconds { get; init; }
    /// <summary>Training examples per second of optimization time over the run.</summary>
    public required double SamplesPerSecond { get; init; }
    /// <summary>The run's train metric at its last epoch (accuracy or R^2).</summary>
    public double? TrainMetric { get; init; }
    public double? ValidationMetric { get; init; }
    /// <summary>Train minus validation metric at the run's last epoch.</summary>
    public double? Gap { get; init; }
    /// <summary>B_simple as the run estimated it when it reached the target (at its end if it did not).</summary>
    public double? GradientNoiseScale { get; init; }

    public bool ReachedTarget => Steps is not null;
}
