namespace Pipelines.Torch.BatchSize;

/// <summary>One measurement of a sweep run's validation loss.</summary>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Examples">Training examples those steps used.</param>
/// <param name="Seconds">Optimization time so far (steps only: no evaluation).</param>
/// <param name="ValidationLoss">The validation loss, in eval mode.</param>
/// <param name="GradientNoiseScale">B_simple's running estimate then; null before it is measurable.</param>
public sealed record LossCheckpoint(long Steps, long Examples, double Seconds, double ValidationLoss, double? GradientNoiseScale);
