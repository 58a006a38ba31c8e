using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.Trials;
using static Pipelines.AutoML.Tests.Pruners.Records;

namespace Pipelines.AutoML.Tests.Pruners;

public class NopPrunerTests
{
    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void NeverPrunesEvenTheWorstOrBrokenCurve(OptimizationDirection direction)
    {
        var others = Enumerable.Range(0, 10).Select(id => Completed(id, 0.9, 0.95, 0.97)).ToList();
        var pruner = new NopPruner();

        Assert.False(pruner.Prunes(Running(10, 0.1, 0.1, 0.1), others, direction));
        Assert.False(pruner.Prunes(Running(11, 0.5, double.NaN), others, direction));
        Assert.False(pruner.Prunes(Running(12), others, direction));
    }
}
