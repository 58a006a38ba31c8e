using Pipelines.Torch.BatchSize;

namespace Pipelines.Torch.Tests.BatchSize;

public class StepTimeModelTests
{
    [Fact]
    public void RecoversTheFixedAndPerExampleCostOfAStep()
    {
        var runs = new[] { 16, 64, 256, 1024 }.Select(b => ((double)b, 2e-4 + 3e-6 * b));
        var model = StepTimeModel.Fit(runs)!;
        Assert.Equal(2e-4, model.SecondsPerStep, 1e-12);
        Assert.Equal(3e-6, model.SecondsPerExample, 1e-14);
        Assert.Equal(2e-4 / 3e-6, model.HalfThroughputBatchSize, 1e-6);
    }

    [Fact]
    public void CostsStayNonNegativeAndOneBatchSizeIsNotEnough()
    {
        // Time falling with batch size (noise): the per-example cost is clamped at zero, a flat model.
        var flat = StepTimeModel.Fit(new[] { (16.0, 3e-4), (1024.0, 2e-4) })!;
        Assert.Equal(0, flat.SecondsPerExample);
        Assert.True(double.IsPositiveInfinity(flat.HalfThroughputBatchSize));
        Assert.Null(StepTimeModel.Fit(new[] { (16.0, 3e-4), (16.0, 2e-4) }));
    }
}
