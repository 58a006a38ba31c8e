namespace Pipelines.Torch.BatchSize;

/// <summary>One training run of a sweep: a batch size, a learning rate, its validation-loss curve and its report.</summary>
public sealed record BatchSizeRun
{
    public required int BatchSize { get; init; }
    /// <summary>The learning rate used (already scaled for the batch size).</summary>
    public required double LearningRate { get; init; }
    /// <summary>The validation loss before the first step and whenever the examples seen grew by the check factor.</summary>
    public required IReadOnlyList<LossCheckpoint> Checkpoints { get; init; }
    public required TrainingReport Report { get; init; }

    /// <summary>The lowest finite validation loss measured; null if none was finite.</summary>
    public double? LowestValidationLoss =>
        Checkpoints.Where(c => double.IsFinite(c.ValidationLoss)).Select(c => (double?)c.ValidationLoss).Min();

    /// <summary>Training examples per second of optimization time over the whole run.</summary>
    public double SamplesPerSecond => Checkpoints.Count > 0 && Checkpoints[^1].Seconds > 0 ? Checkpoints[^1].Examples / Checkpoints[^1].Seconds : 0;

    /// <summary>Optimization seconds per step over the whole run.</summary>
    public double SecondsPerStep => Checkpoints.Count > 0 && Checkpoints[^1].Steps > 0 ? Checkpoints[^1].Seconds / Checkpoints[^1].Steps : 0;
}
