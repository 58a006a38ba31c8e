using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Tests.Tuners;

public class GridTunerTests
{
    [Fact]
    public void CoversEveryChoiceEveryPowerAndEveryRangeStepOnceThenFallsBackToRandom()
    {
        var space = new SearchSpaceBuilder()
            .Choice("optimizer", "sgd", "adam", "rmsprop")
            .PowerOfTwo("batch_size", 16, 256)
            .Double("learning_rate", 1e-4, 1e-1, logBase: true)
            .Build();
        var tuner = new GridTuner(space, seed: 0, stepsPerDimension: 4);
        Assert.Equal(3 * 5 * 4, tuner.GridSize);

        var proposals = TunerTestKit.Run(tuner, 60, _ => 0).Proposals;
        Assert.Equal(60, proposals.Distinct().Count());
        Assert.True(tuner.IsExhausted);
        var pairs = proposals.Select(p => (p["optimizer"].AsString(), p["batch_size"].AsInt())).Distinct().ToList();
        Assert.Equal(15, pairs.Count);
        Assert.Equal(new[] { 16, 32, 64, 128, 256 }, proposals.Select(p => p["batch_size"].AsInt()).Distinct().Order());
        // Four bin centres of the log range: 10^(-4 + 3 (i + 0.5) / 4).
        var rates = proposals.Select(p => p["learning_rate"].AsDouble()).Distinct().Order().ToArray();
        Assert.Equal(4, rates.Length);
        for (int i = 0; i < 4; i++) Assert.Equal(Math.Pow(10, -4 + 3 * (i + 0.5) / 4), rates[i], 9);

        // Exhausted: random points, still valid.
        var after = tuner.Propose(new TrialSettings(60));
        TunerTestKit.AssertValid(space, after);
    }

    [Fact]
    public void NarrowIntegerRangesGiveEachValueOnce()
    {
        var space = new SearchSpaceBuilder().Int("layers", 1, 3).Int("depth", 1, 3, logBase: true).Int("width", 0, 100).Build();
        var tuner = new GridTuner(space, seed: 0, stepsPerDimension: 5);
        // layers: 1, 2, 3; depth: 5 log-spaced steps round to 1, 2, 3 (no repeats); width: 5 bin centres.
        Assert.Equal(3 * 3 * 5, tuner.GridSize);
        var proposals = TunerTestKit.Run(tuner, 45, _ => 0).Proposals;
        Assert.Equal(45, proposals.Distinct().Count());
        Assert.Equal(new[] { 1, 2, 3 }, proposals.Select(p => p["depth"].AsInt()).Distinct().Order());
        Assert.Equal(new[] { 10, 30, 50, 70, 90 }, proposals.Select(p => p["width"].AsInt()).Distinct().Order());
    }

    [Fact]
    public void OneOfGridIsTheUnionOfItsOptionsGrids()
    {
        var space = TunerTestKit.ConditionalSpace();
        var tuner = new GridTuner(space, seed: 4, stepsPerDimension: 3);
        // mlp: 3 rates x 6 powers x 3 activations; trees: 3 x 3 leaves (values 2..8 at 3 steps); linear: 3.
        double mlp = 3 * 6 * 3, trees = 3 * 3, linear = 3;
        Assert.Equal(mlp + trees + linear, tuner.GridSize);
        var proposals = TunerTestKit.Run(tuner, (int)tuner.GridSize, _ => 0).Proposals;
        Assert.Equal(proposals.Count, proposals.Distinct().Count());
        var byOption = proposals.GroupBy(p => p[OneOfSpace.OptionKey].AsString()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(mlp, byOption["mlp"]);
        Assert.Equal(trees, byOption["trees"]);
        Assert.Equal(linear, byOption["linear"]);
        foreach (var p in proposals) TunerTestKit.AssertValid(space, p);
    }

    [Fact]
    public void TheOrderIsShuffledBySeed()
    {
        var space = new SearchSpaceBuilder().Choice("c", "a", "b", "c", "d").Double("x", 0, 1).Build();
        var first = TunerTestKit.Run(new GridTuner(space, seed: 1), 20, _ => 0).Proposals;
        var again = TunerTestKit.Run(new GridTuner(space, seed: 1), 20, _ => 0).Proposals;
        var other = TunerTestKit.Run(new GridTuner(space, seed: 2), 20, _ => 0).Proposals;
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // Same grid, different order.
        Assert.Equal(first.Select(p => p.ToJson()).Order(), other.Select(p => p.ToJson()).Order());
    }
}
