namespace Pipelines.Torch.NoiseScale;

/// <summary>
/// The simple gradient noise scale B_simple = tr(Σ) / |G|² (McCandlish, Kaplan, Amodei et al. 2018, appendix A.1)
/// from squared gradient norms measured at two batch sizes. For a step of B_big examples split into micro-batches,
/// the mean squared norm of the micro-batch gradients is |G_small|² (at B_small, the harmonic mean of the
/// micro-batch sizes) and the squared norm of their weighted mean is |G_big|². Since E|G_B|² = |G|² + tr(Σ)/B,
/// <list type="bullet">
/// <item>|G|² ≈ (B_big |G_big|² − B_small |G_small|²) / (B_big − B_small)</item>
/// <item>tr(Σ) ≈ (|G_small|² − |G_big|²) / (1/B_small − 1/B_big)</item>
/// </list>
/// are unbiased but noisy, so each keeps its own exponential moving average (bias-corrected as in Adam) and only
/// the averages are divided. Pure arithmetic: tested without a network.
/// </summary>
internal sealed class GradientNoiseScaleEstimator
{
    readonly double _smoothing;
    double _squaredNormAverage, _traceAverage, _weight;

    /// <param name="smoothing">The moving averages' factor per measurement, in [0, 1); 0 keeps only the last one.</param>
    public GradientNoiseScaleEstimator(double smoothing)
    {
        if (!(smoothing >= 0 && smoothing < 1)) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "must be in [0, 1)");
        _smoothing = smoothing;
    }

    /// <summary>Measurements taken so far.</summary>
    public int Measurements { get; private set; }

    /// <summary>
    /// Adds one measurement: <paramref name="smallSquaredNorm"/> is the mean squared norm of gradients over
    /// <paramref name="smallBatch"/> examples, <paramref name="bigSquaredNorm"/> the squared norm of one gradient over
    /// <paramref name="bigBatch"/> examples. Non-finite norms (a diverging step) are skipped.
    /// </summary>
    public void Add(double smallSquaredNorm, double smallBatch, double bigSquaredNorm, double bigBatch)
    {
        if (!(smallBatch > 0 && bigBatch > smallBatch))
            throw new ArgumentOutOfRangeException(nameof(bigBatch), bigBatch, $"must exceed the small batch ({smallBatch}), which must be positive");
        if (!double.IsFinite(smallSquaredNorm) || !double.IsFinite(bigSquaredNorm)) return;
        double squaredNorm = (bigBatch * bigSquaredNorm - smallBatch * smallSquaredNorm) / (bigBatch - smallBatch);
        double trace = (smallSquaredNorm - bigSquaredNorm) / (1 / smallBatch - 1 / bigBatch);
        _squaredNormAverage = _smoothing * _squaredNormAverage + (1 - _smoothing) * squaredNorm;
        _traceAverage = _smoothing * _traceAverage + (1 - _smoothing) * trace;
        _weight = _smoothing * _weight + (1 - _smoothing);
        Measurements++;
    }

    /// <summary>The averages so far; null before the first measurement.</summary>
    public NoiseScaleReading? Current => Measurements == 0
        ? null
        : new NoiseScaleReading(_squaredNormAverage / _weight, _traceAverage / _weight, Measurements);
}
