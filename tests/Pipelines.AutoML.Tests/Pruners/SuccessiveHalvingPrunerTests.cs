using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.Trials;
using static Pipelines.AutoML.Tests.Pruners.Records;

namespace Pipelines.AutoML.Tests.Pruners;

public class SuccessiveHalvingPrunerTests
{
    /// <summary>
    /// Nine trials that reached the first rung (epoch 1) with 0.10, 0.20, ..., 0.90, in every state: running trials
    /// of other workers count as having reached the rung, as in Optuna.
    /// </summary>
    static readonly TrialRecord[] NineAtFirstRung = Enumerable.Range(1, 9)
        .Select(i => Trial(i, (TrialStatus)(i % 5), i / 10.0))
        .ToArray();

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void PromotesOnlyTheTopThirdAtTheFirstRung(OptimizationDirection direction)
    {
        var pruner = new SuccessiveHalvingPruner(reductionFactor: 3);

        // With itself, 10 trials at the rung: the best 10 / 3 = 3 go on.
        Assert.False(pruner.Prunes(Running(0, 0.85), NineAtFirstRung, direction));
        Assert.False(pruner.Prunes(Running(0, 0.75), NineAtFirstRung, direction));
        Assert.True(pruner.Prunes(Running(0, 0.65), NineAtFirstRung, direction));
        Assert.True(pruner.Prunes(Running(0, 0.20), NineAtFirstRung, direction));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void PromotesOnlyTheLeaderWhileFewTrialsHaveReachedTheRung(OptimizationDirection direction)
    {
        var pruner = new SuccessiveHalvingPruner(reductionFactor: 3);

        Assert.False(pruner.Prunes(Running(0, 0.10), Array.Empty<TrialRecord>(), direction));

        var one = new[] { Completed(1, 0.5) };
        Assert.True(pruner.Prunes(Running(0, 0.4), one, direction));
        Assert.False(pruner.Prunes(Running(0, 0.5), one, direction));
        Assert.False(pruner.Prunes(Running(0, 0.6), one, direction));

        // 5 at the rung: 5 / 3 = 1, still only the leader; 6 at the rung: the best 2.
        var four = new[] { Completed(1, 0.5), Completed(2, 0.6), Completed(3, 0.7), Completed(4, 0.8) };
        Assert.True(pruner.Prunes(Running(0, 0.75), four, direction));
        var five = four.Append(Completed(5, 0.9)).ToArray();
        Assert.False(pruner.Prunes(Running(0, 0.85), five, direction));
        Assert.True(pruner.Prunes(Running(0, 0.75), five, direction));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void JudgesATrialOnlyWhenItReachesARung(OptimizationDirection direction)
    {
        // Rungs at epochs 1, 3, 9; nine completed trials at 0.50 ... 0.90 in every epoch.
        var pruner = new SuccessiveHalvingPruner(reductionFactor: 3);
        var nine = Enumerable.Range(1, 9).Select(i => Completed(i, Enumerable.Repeat(0.45 + 0.05 * i, 9).ToArray())).ToArray();

        // Epoch 2 is no rung: a collapse there waits for epoch 3, and epoch 1 is not judged again although the
        // trial is now far behind there.
        Assert.False(pruner.Prunes(Running(0, 0.20, 0.10), nine, direction));
        Assert.True(pruner.Prunes(Running(0, 0.95, 0.10, 0.10), nine, direction));
        Assert.False(pruner.Prunes(Running(0, 0.95, 0.10, 0.95, 0.10), nine, direction));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void ATrialEntersARungWithItsFirstValueAtOrAfterIt(OptimizationDirection direction)
    {
        var pruner = new SuccessiveHalvingPruner(reductionFactor: 3);
        // Eight trials at 0.50 ... 0.85 on epoch 3, and one that skipped from epoch 1 (0.10) to epoch 5 (0.99): it
        // entered the epoch-3 rung with 0.99.
        var others = Enumerable.Range(1, 8).Select(i => Completed(i, 0.5, 0.5, 0.45 + 0.05 * i))
            .Append(Completed(9).WithSteps((1, 0.10), (5, 0.99)))
            .ToArray();

        // With itself 10 at the rung, the best 3 go on: 0.99, 0.85, 0.80, so 0.78 is pruned; reported at epoch 4,
        // after a skipped epoch 3, the trial is judged at epoch 4 with that value.
        Assert.True(pruner.Prunes(Running(0, 0.9, 0.9, 0.78), others, direction));
        Assert.True(pruner.Prunes(Running(0).WithSteps((1, 0.9), (4, 0.78)), others, direction));
        Assert.False(pruner.Prunes(Running(0).WithSteps((1, 0.9), (4, 0.82)), others, direction));
    }

    [Fact]
    public void MinResourceAndMinEarlyStoppingRatePlaceTheFirstRung()
    {
        var poor = Running(0, 0.1, 0.1, 0.1);
        bool PrunedAtEpoch(SuccessiveHalvingPruner pruner, int epoch) => pruner.Prunes(
            poor with { IntermediateValues = poor.IntermediateValues.Take(epoch).ToArray() }, NineAtFirstRung.Select(t => t.Report(0.9).Report(0.9)), OptimizationDirection.Maximize);

        var firstRungAtTwo = new SuccessiveHalvingPruner(minResource: 2);
        Assert.False(PrunedAtEpoch(firstRungAtTwo, 1));
        Assert.True(PrunedAtEpoch(firstRungAtTwo, 2));

        var firstRungAtThree = new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 1);
        Assert.False(PrunedAtEpoch(firstRungAtThree, 1));
        Assert.False(PrunedAtEpoch(firstRungAtThree, 2));
        Assert.True(PrunedAtEpoch(firstRungAtThree, 3));
    }

    [Fact]
    public void AutoMinResourceComesFromTheFirstTrialToComplete()
    {
        var pruner = new SuccessiveHalvingPruner(minResource: null);
        var strong = Enumerable.Range(1, 9).Select(i => Running(i, 0.9, 0.9, 0.9)).ToList();
        var poor = Running(0, 0.1, 0.1, 0.1);
        var poorAfterOneEpoch = poor with { IntermediateValues = poor.IntermediateValues.Take(1).ToArray() };

        // Nothing completed: nothing is pruned.
        Assert.False(pruner.Prunes(poor, strong, OptimizationDirection.Maximize));

        // The first trial to complete ran 300 epochs: the first rung is at 300 / 100 = 3. A later one of 1000
        // epochs changes nothing.
        var start = DateTimeOffset.UnixEpoch;
        var first = Completed(20, Enumerable.Repeat(0.9, 300).ToArray()) with { FinishedAt = start.AddHours(1) };
        var later = Completed(10, Enumerable.Repeat(0.9, 1000).ToArray()) with { FinishedAt = start.AddHours(2) };
        var study = strong.Append(later).Append(first).ToList();
        Assert.False(pruner.Prunes(poorAfterOneEpoch, study, OptimizationDirection.Maximize));
        Assert.True(pruner.Prunes(poor, study, OptimizationDirection.Maximize));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void PrunesNaNOrInfiniteAtAnyEpochAndLeavesThemOutOfRungs(OptimizationDirection direction)
    {
        var pruner = new SuccessiveHalvingPruner(reductionFactor: 3);

        Assert.True(pruner.Prunes(Running(0, double.NaN), Array.Empty<TrialRecord>(), direction));
        Assert.True(pruner.Prunes(Running(0, 0.9, double.PositiveInfinity), Array.Empty<TrialRecord>(), direction));
        Assert.True(pruner.Prunes(Running(0, 0.9, double.NegativeInfinity), Array.Empty<TrialRecord>(), direction));

        // Three trials broke at the rung. Left out, 3 trials remain at the rung and only the leader goes on; counted
        // as worst values there would be 6 and 0.85 would be second of the best 2.
        var others = new[]
        {
            Completed(1, 0.9), Completed(2, 0.8),
            Trial(3, TrialStatus.Pruned, double.NaN), Trial(4, TrialStatus.Pruned, double.NaN), Trial(5, TrialStatus.Diverged, double.NegativeInfinity),
        };
        Assert.True(pruner.Prunes(Running(0, 0.85), others, direction));
    }

    [Fact]
    public void StopsPoorCurvesEarlyAndKeepsTheBestOverASimulatedAsynchronousStudy()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var study = SimulatedStudy.Run(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3), seed);
            var bestFirst = study.IdsBestFirst;
            string where = $"Seed {seed}";

            // The trial that ends highest trains all its epochs and is the study's best.
            Assert.Equal(TrialStatus.Completed, study.Trials[bestFirst[0]].Status);
            Assert.Equal(bestFirst[0], study.BestCompleted.Id);

            // Most of the worse half stops at the first rungs (epoch 1 or 3); the rest are the first trials to reach
            // a rung, which go on while they lead it.
            var worseHalf = bestFirst.Skip(study.Curves.Count / 2).ToList();
            Assert.True(worseHalf.Count(id => study.EpochsOf(id) <= 3) >= 0.8 * worseHalf.Count, where);
            Assert.True(worseHalf.Average(study.EpochsOf) < 5, where);

            Assert.True(study.EpochsTrained < 0.4 * study.EpochsWithoutPruning, $"{where}: {study.EpochsTrained} of {study.EpochsWithoutPruning} epochs.");
        }
    }

    [Fact]
    public void RejectsInvalidOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingPruner(minResource: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingPruner(reductionFactor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingPruner(minEarlyStoppingRate: -1));
    }
}
