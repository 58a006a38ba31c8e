using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.Trials;
using static Pipelines.AutoML.Tests.Pruners.Records;

namespace Pipelines.AutoML.Tests.Pruners;

public class MedianPrunerTests
{
    /// <summary>Five completed accuracy curves; the medians per epoch are 0.60, 0.70, 0.75, 0.80.</summary>
    static readonly TrialRecord[] FiveCompleted =
    {
        Completed(0, 0.50, 0.60, 0.70, 0.75),
        Completed(1, 0.55, 0.65, 0.72, 0.78),
        Completed(2, 0.60, 0.70, 0.75, 0.80),
        Completed(3, 0.65, 0.72, 0.78, 0.82),
        Completed(4, 0.70, 0.75, 0.80, 0.85),
    };

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void PrunesACurveClearlyBelowTheMedianAndKeepsOneAbove(OptimizationDirection direction)
    {
        var pruner = new MedianPruner();
        var poor = Running(10, 0.40, 0.45, 0.50);
        var good = Running(11, 0.65, 0.75, 0.80);

        Assert.True(pruner.Prunes(poor, FiveCompleted, direction));
        Assert.False(pruner.Prunes(good, FiveCompleted, direction));
        Assert.True(pruner.Prunes(Running(12, 0.40), FiveCompleted, direction));
        Assert.False(pruner.Prunes(Running(13, 0.65), FiveCompleted, direction));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void ComparesTheBestValueSoFarNotTheLatest(OptimizationDirection direction)
    {
        // Epoch 2: median 0.70; the latest value 0.50 is below it, but the best so far (0.80) is not.
        var dipping = Running(10, 0.80, 0.50);

        Assert.False(new MedianPruner().Prunes(dipping, FiveCompleted, direction));
    }

    [Fact]
    public void WaitsForTheStartupTrialsToComplete()
    {
        var poor = Running(10, 0.40, 0.45, 0.50);
        var fourCompleted = FiveCompleted.Take(4).ToList();
        // Pruned, failed and running trials do not count as finished startup trials (as in Optuna).
        var unfinishedOrUnsuccessful = new[]
        {
            Trial(20, TrialStatus.Pruned, 0.1), Trial(21, TrialStatus.Failed, 0.1), Trial(22, TrialStatus.Diverged, 0.1), Running(23, 0.9, 0.9, 0.9),
        };

        Assert.False(new MedianPruner().Prunes(poor, fourCompleted.Concat(unfinishedOrUnsuccessful), OptimizationDirection.Maximize));
        Assert.True(new MedianPruner().Prunes(poor, FiveCompleted.Concat(unfinishedOrUnsuccessful), OptimizationDirection.Maximize));
        Assert.True(new MedianPruner(numberOfStartupTrials: 4).Prunes(poor, fourCompleted, OptimizationDirection.Maximize));
        Assert.False(new MedianPruner(numberOfStartupTrials: 0).Prunes(poor, Array.Empty<TrialRecord>(), OptimizationDirection.Maximize));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void NeverPrunesDuringTheWarmUpEpochs(OptimizationDirection direction)
    {
        var pruner = new MedianPruner(numberOfWarmupSteps: 2);

        Assert.False(pruner.Prunes(Running(10, 0.40), FiveCompleted, direction));
        Assert.False(pruner.Prunes(Running(10, 0.40, 0.45), FiveCompleted, direction));
        Assert.True(pruner.Prunes(Running(10, 0.40, 0.45, 0.50), FiveCompleted, direction));
    }

    [Fact]
    public void ChecksOnlyEveryIntervalAfterWarmUpAndCatchesUpOnSkippedEpochs()
    {
        // Warm-up 1 and interval 2: checks are due at epochs 2 and 4.
        var pruner = new MedianPruner(numberOfWarmupSteps: 1, intervalSteps: 2);
        var poor = Running(10, 0.40, 0.45, 0.50, 0.55);

        bool[] prunedAfterEpoch = Enumerable.Range(1, 4)
            .Select(epochs => pruner.Prunes(poor with { IntermediateValues = poor.IntermediateValues.Take(epochs).ToArray() }, FiveCompleted, OptimizationDirection.Maximize))
            .ToArray();
        Assert.Equal(new[] { false, true, false, true }, prunedAfterEpoch);

        // No report at epoch 2, so the check due then happens at the next report, epoch 3 (median 0.75).
        var skipped = Running(11).WithSteps((1, 0.40), (3, 0.50));
        Assert.True(pruner.Prunes(skipped, FiveCompleted, OptimizationDirection.Maximize));
    }

    [Fact]
    public void UsesTheMedianOfCompletedTrialsAtExactlyThatEpoch()
    {
        var fourCompleted = FiveCompleted.Take(4).ToList(); // epoch 1: 0.50, 0.55, 0.60, 0.65 -> median 0.575
        var pruner = new MedianPruner(numberOfStartupTrials: 4);

        Assert.True(pruner.Prunes(Running(10, 0.57), fourCompleted, OptimizationDirection.Maximize));
        Assert.False(pruner.Prunes(Running(10, 0.58), fourCompleted, OptimizationDirection.Maximize));

        // No completed trial reported epoch 5, so there is nothing to compare with.
        Assert.False(pruner.Prunes(Running(11, 0.1, 0.1, 0.1, 0.1, 0.1), fourCompleted, OptimizationDirection.Maximize));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void PrunesANaNOrInfiniteValueAtOnceAndIgnoresThemInOthers(OptimizationDirection direction)
    {
        var pruner = new MedianPruner(numberOfStartupTrials: 5, numberOfWarmupSteps: 3);

        Assert.True(pruner.Prunes(Running(10, double.NaN), Array.Empty<TrialRecord>(), direction));
        Assert.True(pruner.Prunes(Running(10, 0.9, double.PositiveInfinity), FiveCompleted, direction));
        Assert.True(pruner.Prunes(Running(10, 0.9, double.NegativeInfinity), FiveCompleted, direction));

        // Two completed trials are broken at epoch 1: the median is that of the other three, 0.55 (as worst values
        // they would lower it to 0.50).
        var withBroken = FiveCompleted.Take(3).Append(Completed(5, double.NaN, 0.1)).Append(Completed(6, double.NegativeInfinity, 0.1));
        Assert.True(new MedianPruner().Prunes(Running(11, 0.53), withBroken, direction));
        Assert.False(new MedianPruner().Prunes(Running(11, 0.57), withBroken, direction));
    }

    [Fact]
    public void KeepsTheBestTrialsOverASimulatedAsynchronousStudy()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var study = SimulatedStudy.Run(new MedianPruner(), seed);

            Assert.All(study.IdsBestFirst.Take(3), id => Assert.Equal(TrialStatus.Completed, study.Trials[id].Status));
            Assert.True(study.EpochsTrained < 0.7 * study.EpochsWithoutPruning, $"Seed {seed}: {study.EpochsTrained} of {study.EpochsWithoutPruning} epochs.");
        }
    }

    [Fact]
    public void RejectsInvalidOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianPruner(numberOfStartupTrials: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianPruner(numberOfWarmupSteps: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianPruner(intervalSteps: 0));
    }
}
