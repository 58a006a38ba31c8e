namespace Pipelines.Torch.BatchSize;

/// <summary>Where a run's validation loss first reached the target: steps, examples and seconds, interpolated between checks.</summary>
/// <param name="Steps">Optimizer steps to the target.</param>
/// <param name="Examples">Training examples to the target.</param>
/// <param name="Seconds">Optimization seconds to the target.</param>
/// <param name="GradientNoiseScale">B_simple's running estimate at the first check at or below the target.</param>
public sealed record TargetCrossing(double Steps, double Examples, double Seconds, double? GradientNoiseScale)
{
    /// <summary>
    /// The first crossing of <paramref name="target"/>, linear in the loss between the last check above it and the
    /// first at or below it; null if the run never got there. A run at the target before its first step crosses at 0.
    /// </summary>
    public static TargetCrossing? Find(IReadOnlyList<LossCheckpoint> checkpoints, double target)
    {
        for (int k = 0; k < checkpoints.Count; k++)
        {
            var c = checkpoints[k];
            if (!(c.ValidationLoss <= target)) continue;
            if (k == 0) return new TargetCrossing(c.Steps, c.Examples, c.Seconds, c.GradientNoiseScale);
            var p = checkpoints[k - 1];
            double f = (p.ValidationLoss - target) / (p.ValidationLoss - c.ValidationLoss);
            if (!double.IsFinite(f)) f = 1;
            double Lerp(double a, double b) => a + f * (b - a);
            return new TargetCrossing(Lerp(p.Steps, c.Steps), Lerp(p.Examples, c.Examples), Lerp(p.Seconds, c.Seconds), c.GradientNoiseScale);
        }
        return null;
    }
}
