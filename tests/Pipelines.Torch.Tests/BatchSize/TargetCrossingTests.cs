using Pipelines.Torch.BatchSize;

namespace Pipelines.Torch.Tests.BatchSize;

public class TargetCrossingTests
{
    static readonly LossCheckpoint[] Curve =
    {
        new(0, 0, 0, 0.70, null),
        new(10, 320, 0.1, 0.50, 40),
        new(20, 640, 0.2, 0.30, 50),
        new(30, 960, 0.3, 0.35, 60), // a bump after the crossing does not matter
        new(40, 1280, 0.4, 0.20, 70),
    };

    [Fact]
    public void InterpolatesLinearlyInTheLossBetweenTheChecksAroundTheFirstCrossing()
    {
        var c = TargetCrossing.Find(Curve, 0.40)!;
        Assert.Equal(15, c.Steps, 9);
        Assert.Equal(480, c.Examples, 9);
        Assert.Equal(0.15, c.Seconds, 9);
        Assert.Equal(50, c.GradientNoiseScale);
    }

    [Fact]
    public void ExactHitsAtTheStartAndMissesAreReported()
    {
        Assert.Equal(20, TargetCrossing.Find(Curve, 0.30)!.Steps, 9);
        Assert.Equal(0, TargetCrossing.Find(Curve, 0.9)!.Steps);
        Assert.Null(TargetCrossing.Find(Curve, 0.1));
        Assert.Null(TargetCrossing.Find(new[] { new LossCheckpoint(0, 0, 0, double.NaN, null) }, 0.5));
    }
}
