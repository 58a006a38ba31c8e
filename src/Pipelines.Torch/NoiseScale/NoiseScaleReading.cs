namespace Pipelines.Torch.NoiseScale;

/// <summary>
/// The gradient noise scale's moving averages at one moment of training.
/// </summary>
/// <param name="SquaredNorm">|G|², the squared norm of the true (full-data) gradient.</param>
/// <param name="Trace">tr(Σ), the trace of the covariance of one example's gradient.</param>
/// <param name="Measurements">How many measured steps the averages hold.</param>
internal readonly record struct NoiseScaleReading(double SquaredNorm, double Trace, int Measurements)
{
    /// <summary>
    /// B_simple = tr(Σ) / |G|², in examples; null while the |G|² average is not positive (the noise swamps the
    /// signal: the scale is too large to measure at this batch size yet).
    /// </summary>
    public double? Scale => SquaredNorm > 0 ? Trace / SquaredNorm : null;
}
