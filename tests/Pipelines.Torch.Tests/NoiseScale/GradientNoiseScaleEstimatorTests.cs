using Pipelines.Torch.NoiseScale;

namespace Pipelines.Torch.Tests.NoiseScale;

/// <summary>The estimator's arithmetic: McCandlish et al.'s two-batch-size formulas and the separate moving averages.</summary>
public class GradientNoiseScaleEstimatorTests
{
    // E|G_B|² = |G|² + tr(Σ) / B: norms at their expected values give the true quantities back exactly.
    static double Expected(double squaredNorm, double trace, double batch) => squaredNorm + trace / batch;

    [Theory]
    [InlineData(5.0, 57.0, 64, 256)]
    [InlineData(0.01, 300.0, 8, 32)]
    [InlineData(2.0, 1.0, 3, 10)]
    public void ExpectedNormsGiveTheTrueSquaredNormAndTrace(double squaredNorm, double trace, double small, double big)
    {
        var estimator = new GradientNoiseScaleEstimator(smoothing: 0.9);
        estimator.Add(Expected(squaredNorm, trace, small), small, Expected(squaredNorm, trace, big), big);
        var reading = estimator.Current!.Value;
        Assert.Equal(squaredNorm, reading.SquaredNorm, 9);
        Assert.Equal(trace, reading.Trace, 9);
        Assert.Equal(trace / squaredNorm, reading.Scale!.Value, 6);
        Assert.Equal(1, reading.Measurements);
    }

    [Fact]
    public void NumeratorAndDenominatorAreAveragedSeparatelyThenDivided()
    {
        // Two measurements: (|G|², tr) = (1, 10) and (3, 10), weighted 1/3 and 2/3 by a bias-corrected 0.5 average.
        // The ratio of the averages is 10 / (7/3) = 4.29; the average of the ratios would be 10/3 + 2/3 · 10/3 = 5.56.
        var estimator = new GradientNoiseScaleEstimator(smoothing: 0.5);
        estimator.Add(Expected(1, 10, 4), 4, Expected(1, 10, 16), 16);
        estimator.Add(Expected(3, 10, 4), 4, Expected(3, 10, 16), 16);
        var reading = estimator.Current!.Value;
        Assert.Equal(1.0 / 3 + 2 * 3.0 / 3, reading.SquaredNorm, 9);
        Assert.Equal(10, reading.Trace, 9);
        Assert.Equal(10 / reading.SquaredNorm, reading.Scale!.Value, 9);
    }

    [Fact]
    public void NoReadingBeforeTheFirstMeasurementAndNoScaleWhileTheSignalIsNotPositive()
    {
        var estimator = new GradientNoiseScaleEstimator(0.95);
        Assert.Null(estimator.Current);
        // The big batch's norm above what the small batch implies: |G|² comes out negative.
        estimator.Add(smallSquaredNorm: 1.0, smallBatch: 8, bigSquaredNorm: 0.5, bigBatch: 9);
        Assert.True(estimator.Current!.Value.SquaredNorm < 0);
        Assert.Null(estimator.Current!.Value.Scale);
    }

    [Fact]
    public void NonFiniteNormsAreSkippedAndBadBatchSizesRefused()
    {
        var estimator = new GradientNoiseScaleEstimator(0.95);
        estimator.Add(double.NaN, 4, 1, 16);
        estimator.Add(1, 4, double.PositiveInfinity, 16);
        Assert.Null(estimator.Current);
        Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Add(1, 16, 1, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Add(1, 0, 1, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientNoiseScaleEstimator(1.0));
    }
}
