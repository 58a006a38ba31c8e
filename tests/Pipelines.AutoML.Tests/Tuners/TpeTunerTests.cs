using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Xunit.Abstractions;

namespace Pipelines.AutoML.Tests.Tuners;

public class TpeTunerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // multivariate
    public void BeatsRandomSearchOnAnAnalyticObjectiveOverManySeeds(bool multivariate)
    {
        const int Trials = 60, Seeds = 20;
        var space = TunerTestKit.MixedSpace();
        var c = TunerTestKit.CompareOverSeeds(Seeds,
            seed => TunerTestKit.Run(new TpeTuner(space, seed, multivariate: multivariate), Trials, TunerTestKit.MixedLoss).BestLoss,
            seed => TunerTestKit.Run(new RandomTuner(space, seed), Trials, TunerTestKit.MixedLoss).BestLoss);
        string report = $"Best loss after {Trials} trials, median over {Seeds} seeds: TPE (multivariate {multivariate}) {c.FirstMedian:F4}, random {c.SecondMedian:F4} " +
                        $"(TPE better on {c.FirstWins}/{Seeds} seeds; TPE mean {c.First.Average():F4}, random mean {c.Second.Average():F4}).";
        output.WriteLine(report);
        Assert.True(c.FirstMedian < 0.6 * c.SecondMedian, report);
        Assert.True(c.FirstWins >= 14, report);
    }

    [Fact]
    public void StartupTrialsAreTheSameUniformPointsAsRandomSearch()
    {
        var space = TunerTestKit.MixedSpace();
        var tpe = TunerTestKit.Run(new TpeTuner(space, seed: 11, numberOfStartupTrials: 10), 12, TunerTestKit.MixedLoss).Proposals;
        var random = TunerTestKit.Run(new RandomTuner(space, seed: 11), 12, TunerTestKit.MixedLoss).Proposals;
        Assert.Equal(random.Take(10), tpe.Take(10));
        Assert.NotEqual(random.Skip(10), tpe.Skip(10));
    }

    [Fact]
    public void ConcentratesOnTheBestChoiceAndRange()
    {
        var space = new SearchSpaceBuilder()
            .Choice("optimizer", TunerTestKit.Optimizers)
            .Double("learning_rate", 1e-5, 1, logBase: true)
            .Build();
        // adam is best, and a learning rate near 1e-2.
        double Loss(Parameter p) => (p["optimizer"].AsString() == "adam" ? 0 : 1) + Math.Abs(Math.Log10(p["learning_rate"].AsDouble()) + 2);
        var proposals = TunerTestKit.Run(new TpeTuner(space, seed: 3), 80, Loss).Proposals;
        var late = proposals.Skip(40).ToList();
        Assert.True(late.Count(p => p["optimizer"].AsString() == "adam") >= 30, "TPE should mostly propose the best choice once it has seen it.");
        Assert.True(late.Count(p => Math.Abs(Math.Log10(p["learning_rate"].AsDouble()) + 2) < 1) >= 25, "TPE should mostly stay within a decade of the best learning rate.");
    }

    [Fact]
    public void DefaultsFollowOptuna()
    {
        Assert.Equal(new[] { 0, 1, 1, 1, 2, 3, 10, 25, 25 }, new[] { 0, 1, 5, 10, 11, 30, 100, 250, 1000 }.Select(TpeTuner.DefaultGamma));
        Assert.Equal(Enumerable.Repeat(1.0, 24), TpeTuner.DefaultWeights(24));
        var weights = TpeTuner.DefaultWeights(30);
        // The 5 oldest ramp linearly from 1/30 to 1, the 25 most recent weigh 1.
        Assert.Equal(1.0 / 30, weights[0], 12);
        Assert.Equal(1.0, weights[4], 12);
        Assert.Equal(weights[1] - weights[0], weights[2] - weights[1], 12);
        Assert.All(weights.Skip(5), w => Assert.Equal(1.0, w));
    }
}
