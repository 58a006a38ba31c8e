using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Torch.Tests;

public class LearningRatePlanTests
{
    static TorchMlpTrainer.Options Options(Action<TorchMlpTrainer.Options> set)
    {
        var o = new TorchMlpTrainer.Options { LearningRate = 0.1, Epochs = 10 };
        set(o);
        return o;
    }

    [Theory]
    [InlineData(LearningRateScaling.None, 256, 32, 0.1)]
    [InlineData(LearningRateScaling.Linear, 256, 32, 0.8)]
    [InlineData(LearningRateScaling.SquareRoot, 128, 32, 0.2)]
    [InlineData(LearningRateScaling.Linear, 16, 32, 0.05)]
    public void ScalingFollowsTheBatchSize(LearningRateScaling scaling, int batch, int reference, double expected)
    {
        var plan = new LearningRatePlan(Options(o => { o.LearningRateScaling = scaling; o.ReferenceBatchSize = reference; }), batch, stepsPerEpoch: 5);
        Assert.Equal(expected, plan.ScaledRate, 12);
        Assert.Equal(expected, plan.At(0, 0), 12);
    }

    [Fact]
    public void StepScheduleDecaysEveryStepEpochs()
    {
        var plan = new LearningRatePlan(Options(o => { o.LearningRateSchedule = LearningRateSchedule.Step; o.StepEpochs = 3; o.StepGamma = 0.5; }), 32, 4);
        Assert.Equal(0.1, plan.At(2, 11), 12);
        Assert.Equal(0.05, plan.At(3, 12), 12);
        Assert.Equal(0.025, plan.At(6, 24), 12);
    }

    [Fact]
    public void CosineGoesFromTheRateToTheMinimum()
    {
        var plan = new LearningRatePlan(Options(o => { o.LearningRateSchedule = LearningRateSchedule.Cosine; o.MinLearningRate = 0.01; }), 32, 10);
        Assert.Equal(0.1, plan.At(0, 0), 12);
        // Half-way through the 100 steps the rate is half-way between the two ends.
        Assert.Equal(0.055, (plan.At(4, 49) + plan.At(5, 50)) / 2, 3);
        Assert.Equal(0.01, plan.At(9, 99), 12);
        Assert.True(plan.At(5, 50) < plan.At(4, 40));
    }

    [Fact]
    public void OneCyclePeaksAtThirtyPercent()
    {
        var plan = new LearningRatePlan(Options(o => o.LearningRateSchedule = LearningRateSchedule.OneCycle), 32, 10);
        Assert.Equal(0.1 / 25, plan.At(0, 0), 12);
        long peak = Enumerable.Range(0, 100).MaxBy(s => plan.At(s / 10, s));
        Assert.InRange(peak, 28, 31);
        Assert.Equal(0.1 / 25e4, plan.At(9, 99), 12);
    }

    [Fact]
    public void WarmupRampsLinearlyOverTheWarmupEpochs()
    {
        var plan = new LearningRatePlan(Options(o => o.WarmupEpochs = 2), 32, 5);
        Assert.Equal(0.01, plan.At(0, 0), 12);
        Assert.Equal(0.05, plan.At(0, 4), 12);
        Assert.Equal(0.1, plan.At(1, 9), 12);
        Assert.Equal(0.1, plan.At(2, 10), 12);
    }
}
