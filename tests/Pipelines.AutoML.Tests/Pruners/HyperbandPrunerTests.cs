using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.Trials;
using static Pipelines.AutoML.Tests.Pruners.Records;

namespace Pipelines.AutoML.Tests.Pruners;

public class HyperbandPrunerTests
{
    [Fact]
    public void BracketsFollowHyperbandBudgets()
    {
        // Epochs 1 to 27 with eta 3: brackets whose first rungs are at epochs 1, 3, 9 and 27, with Optuna's budgets
        // ceil(4 * 3^s / (s + 1)) for s = 3, 2, 1, 0.
        var pruner = new HyperbandPruner(maxResource: 27, minResource: 1, reductionFactor: 3);

        Assert.Equal(4, pruner.BracketCount);
        Assert.Equal(new[] { 27, 12, 6, 4 }, pruner.BracketBudgets);
        Assert.Equal(new long[] { 1, 3, 9, 27 }, Enumerable.Range(0, 4).Select(pruner.GetFirstRungStep));
        Assert.Equal(1, new HyperbandPruner(maxResource: 2, minResource: 1, reductionFactor: 3).BracketCount);
        Assert.Equal(3, new HyperbandPruner(maxResource: 100, minResource: 10, reductionFactor: 3).BracketCount);
    }

    [Fact]
    public void AssignsBracketsDeterministicallyInProportionToTheirBudgets()
    {
        var pruner = new HyperbandPruner(maxResource: 27);
        var again = new HyperbandPruner(maxResource: 27);
        var ids = Enumerable.Range(0, 1000).ToList();
        var brackets = ids.Select(pruner.GetBracket).ToList();

        Assert.Equal(brackets, ids.Select(again.GetBracket));
        Assert.All(brackets, b => Assert.InRange(b, 0, pruner.BracketCount - 1));

        // Every cycle of 49 consecutive ids holds each bracket exactly its budget, and any 1000 ids come close.
        int cycle = pruner.BracketBudgets.Sum();
        for (int start = 0; start + cycle <= ids.Count; start += cycle)
        {
            var counts = brackets.Skip(start).Take(cycle).GroupBy(b => b).OrderBy(g => g.Key).Select(g => g.Count());
            Assert.Equal(pruner.BracketBudgets, counts);
        }
        for (int bracket = 0; bracket < pruner.BracketCount; bracket++)
        {
            double share = brackets.Count(b => b == bracket) / (double)brackets.Count;
            Assert.InRange(share, pruner.BracketBudgets[bracket] / (double)cycle - 0.01, pruner.BracketBudgets[bracket] / (double)cycle + 0.01);
        }

        // Spread out rather than in runs: the first 10 ids already use three brackets.
        Assert.True(brackets.Take(10).Distinct().Count() >= 3);
        Assert.Equal(pruner.GetBracket(5), pruner.GetBracket(5 + cycle));
        Assert.Equal(pruner.GetBracket(cycle - 1), pruner.GetBracket(-1));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void ComparesATrialOnlyWithTrialsOfItsOwnBracket(OptimizationDirection direction)
    {
        var pruner = new HyperbandPruner(maxResource: 27);
        var firstBracketIds = IdsInBracket(pruner, 0).Take(10).ToList();
        var secondBracketIds = IdsInBracket(pruner, 1).Take(9).ToList();
        int candidate = firstBracketIds[^1];

        // Weak trials in the candidate's bracket, strong ones in another: the candidate leads its own bracket.
        var weakSameBracket = firstBracketIds.Take(9).Select((id, i) => Completed(id, 0.10 + 0.02 * i)).ToList();
        var strongOtherBracket = secondBracketIds.Select(id => Completed(id, 0.95, 0.95, 0.95)).ToList();
        Assert.False(pruner.Prunes(Running(candidate, 0.5), weakSameBracket.Concat(strongOtherBracket), direction));

        // The same strong trials in the candidate's own bracket prune it.
        var strongSameBracket = firstBracketIds.Take(9).Select(id => Completed(id, 0.95)).ToList();
        Assert.True(pruner.Prunes(Running(candidate, 0.5), strongSameBracket, direction));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void EachBracketStartsPruningAtItsOwnFirstRung(OptimizationDirection direction)
    {
        var pruner = new HyperbandPruner(maxResource: 27);
        var secondBracketIds = IdsInBracket(pruner, 1).Take(10).ToList();
        var strong = secondBracketIds.Take(9).Select(id => Completed(id, 0.95, 0.95, 0.95)).ToList();
        var poor = Running(secondBracketIds[^1], 0.1, 0.1, 0.1);

        Assert.False(pruner.Prunes(poor with { IntermediateValues = poor.IntermediateValues.Take(1).ToArray() }, strong, direction));
        Assert.False(pruner.Prunes(poor with { IntermediateValues = poor.IntermediateValues.Take(2).ToArray() }, strong, direction));
        Assert.True(pruner.Prunes(poor, strong, direction));
    }

    [Theory]
    [InlineData(OptimizationDirection.Maximize)]
    [InlineData(OptimizationDirection.Minimize)]
    public void PrunesNaNOrInfiniteInEveryBracket(OptimizationDirection direction)
    {
        var pruner = new HyperbandPruner(maxResource: 27);
        for (int bracket = 0; bracket < pruner.BracketCount; bracket++)
        {
            int id = IdsInBracket(pruner, bracket).First();
            Assert.True(pruner.Prunes(Running(id, double.NaN), Array.Empty<TrialRecord>(), direction));
            Assert.True(pruner.Prunes(Running(id, 0.9, double.PositiveInfinity), Array.Empty<TrialRecord>(), direction));
        }
    }

    [Fact]
    public void KeepsTheBestTrialAndSavesEpochsOverASimulatedAsynchronousStudy()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var study = SimulatedStudy.Run(new HyperbandPruner(maxResource: 27), seed);

            Assert.Equal(TrialStatus.Completed, study.Trials[study.IdsBestFirst[0]].Status);
            Assert.Equal(study.IdsBestFirst[0], study.BestCompleted.Id);
            Assert.True(study.EpochsTrained < 0.6 * study.EpochsWithoutPruning, $"Seed {seed}: {study.EpochsTrained} of {study.EpochsWithoutPruning} epochs.");
        }
    }

    [Fact]
    public void RejectsInvalidOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPruner(maxResource: 27, minResource: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPruner(maxResource: 2, minResource: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPruner(maxResource: 27, reductionFactor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPruner(maxResource: int.MaxValue, reductionFactor: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPruner(maxResource: 27).GetFirstRungStep(4));
    }

    static IEnumerable<int> IdsInBracket(HyperbandPruner pruner, int bracket) =>
        Enumerable.Range(0, int.MaxValue).Where(id => pruner.GetBracket(id) == bracket);
}
