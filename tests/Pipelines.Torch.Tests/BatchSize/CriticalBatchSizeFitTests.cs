using Pipelines.Torch.BatchSize;

namespace Pipelines.Torch.Tests.BatchSize;

/// <summary>The steps-examples fit (S/S_min − 1)(E/E_min − 1) = 1 on points made from the formula.</summary>
public class CriticalBatchSizeFitTests
{
    static readonly int[] Batches = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048 };

    // A point on the curve: S = S_min (1 + B_crit / B), E = B · S.
    static (double Steps, double Examples) OnCurve(double sMin, double eMin, int batch, double noise = 0)
    {
        double steps = (sMin + eMin / batch) * Math.Exp(noise);
        return (steps, steps * batch);
    }

    [Theory]
    [InlineData(200, 20_000)]   // B_crit 100, inside the batch sizes
    [InlineData(50, 200_000)]   // B_crit 4000, above them all
    [InlineData(3000, 6_000)]   // B_crit 2, below them all
    public void RecoversMinimumStepsAndExamplesFromPointsOnTheCurve(double sMin, double eMin)
    {
        var points = Batches.Select(b => OnCurve(sMin, eMin, b)).ToList();
        var fit = CriticalBatchSizeFit.Fit(points)!;
        Assert.Equal(sMin, fit.MinSteps, sMin * 1e-6);
        Assert.Equal(eMin, fit.MinExamples, eMin * 1e-6);
        Assert.Equal(eMin / sMin, fit.CriticalBatchSize, eMin / sMin * 1e-6);
        Assert.True(fit.RmsLogError < 1e-6);
        foreach (var (steps, examples) in points)
        {
            // The fitted curve satisfies the trade-off at every point.
            Assert.Equal(1, (steps / fit.MinSteps - 1) * (examples / fit.MinExamples - 1), 6);
        }
    }

    [Fact]
    public void NoisyPointsStillGiveTheCriticalBatchSizeWithinTheirNoise()
    {
        // ±10% multiplicative noise, deterministic.
        var random = new Random(3);
        var points = Batches.Select(b => OnCurve(400, 100_000, b, noise: 0.1 * (2 * random.NextDouble() - 1))).ToList();
        var fit = CriticalBatchSizeFit.Fit(points)!;
        Assert.InRange(fit.CriticalBatchSize, 250 * 0.75, 250 / 0.75);
        Assert.InRange(fit.RmsLogError, 0.01, 0.1);
    }

    [Fact]
    public void TwoPointsAreFittedExactlyAndFewerAreNot()
    {
        var two = new[] { OnCurve(100, 6400, 32), OnCurve(100, 6400, 256) };
        var fit = CriticalBatchSizeFit.Fit(two)!;
        Assert.Equal(64, fit.CriticalBatchSize, 1e-6);
        Assert.Null(CriticalBatchSizeFit.Fit(new[] { OnCurve(100, 6400, 32) }));
        Assert.Null(CriticalBatchSizeFit.Fit(new[] { OnCurve(100, 6400, 32), OnCurve(100, 6400, 32) }));
        Assert.Null(CriticalBatchSizeFit.Fit(Array.Empty<(double, double)>()));
    }

    [Fact]
    public void PerfectScalingPushesTheCriticalBatchSizeBeyondTheData()
    {
        // Steps exactly inversely proportional to batch size (the same examples at every size): S_min tends to 0.
        var points = Batches.Select(b => (Steps: 1e6 / b, Examples: 1e6)).ToList();
        var fit = CriticalBatchSizeFit.Fit(points)!;
        Assert.True(fit.CriticalBatchSize > 100 * Batches.Max(), $"B_crit = {fit.CriticalBatchSize}");
        Assert.True(fit.MinSteps > 0);
    }
}
