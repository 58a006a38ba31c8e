using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Xunit.Abstractions;

namespace Pipelines.AutoML.Tests.Tuners;

public class CfoTunerTests(ITestOutputHelper output)
{
    [Fact]
    public void StartsFromTheDefaultPoint()
    {
        var space = TunerTestKit.CostlySpace();
        var first = new CfoTuner(space, seed: 3).Propose(new TrialSettings(0));
        Assert.Equal(space.Default, first);
        Assert.Equal(4, first["trees"].AsInt());
    }

    [Fact]
    public void ReachesAGoodValueForLessCostThanRandomSearch()
    {
        const int Trials = 100, Seeds = 10;
        var space = TunerTestKit.CostlySpace();
        var cfo = Enumerable.Range(0, Seeds).Select(seed =>
            TunerTestKit.Run(new CfoTuner(space, seed), Trials, TunerTestKit.CostlyLoss, TunerTestKit.CostlyCost)).ToList();
        var random = Enumerable.Range(0, Seeds).Select(seed =>
            TunerTestKit.Run(new RandomTuner(space, seed), Trials, TunerTestKit.CostlyLoss, TunerTestKit.CostlyCost)).ToList();
        double cfoLoss = TunerTestKit.Median(cfo.Select(r => r.BestLoss)), randomLoss = TunerTestKit.Median(random.Select(r => r.BestLoss));
        double cfoCost = TunerTestKit.Median(cfo.Select(r => r.TotalCost)), randomCost = TunerTestKit.Median(random.Select(r => r.TotalCost));
        string report = $"{Trials} trials, median over {Seeds} seeds: CFO best loss {cfoLoss:F4} for total cost {cfoCost:F0}; " +
                        $"random best loss {randomLoss:F4} for total cost {randomCost:F0}.";
        output.WriteLine(report);
        Assert.True(cfoLoss < 0.01, report);
        Assert.True(cfoCost < 0.75 * randomCost, report);
        Assert.All(cfo.Zip(random), pair => Assert.True(pair.First.TotalCost < pair.Second.TotalCost, report));
    }

    [Fact]
    public void KeepsTheSearchLocalAroundTheIncumbent()
    {
        var space = new SearchSpaceBuilder().Double("x", 0, 1, defaultValue: 0.5).Double("y", 0, 1, defaultValue: 0.5).Build();
        var tuner = new CfoTuner(space, seed: 1);
        var proposals = Enumerable.Range(0, 3).Select(id => tuner.Propose(new TrialSettings(id))).ToList();
        // Before any result: the start, then x + u at 0.1 sqrt(2) from it, then its mirror x - u.
        var start = space.MappingToFeatureSpace(proposals[0]);
        var plus = space.MappingToFeatureSpace(proposals[1]);
        var minus = space.MappingToFeatureSpace(proposals[2]);
        Assert.Equal(0.1 * Math.Sqrt(2), Math.Sqrt(Math.Pow(plus[0] - start[0], 2) + Math.Pow(plus[1] - start[1], 2)), 6);
        Assert.Equal(start[0] - (plus[0] - start[0]), minus[0], 6);
        Assert.Equal(start[1] - (plus[1] - start[1]), minus[1], 6);
    }

    [Fact]
    public void RestartsWhenTheStepFallsBelowTheIntegerResolution()
    {
        var space = new SearchSpaceBuilder().Int("layers", 1, 8, defaultValue: 2).Build();
        var tuner = new CfoTuner(space, seed: 2);
        // A flat loss never improves, so the step keeps shrinking until the search restarts.
        var run = TunerTestKit.Run(tuner, 200, _ => 1.0);
        Assert.True(tuner.Restarts > 0, $"Step is {tuner.StepSize} after 200 trials without a restart.");
        foreach (var p in run.Proposals) TunerTestKit.AssertValid(space, p);
    }

    [Fact]
    public void EqualLossesMoveToTheCheaperTrial()
    {
        var space = new SearchSpaceBuilder().Double("x", 0, 1, defaultValue: 0.5).Build();
        var tuner = new CfoTuner(space, seed: 0);
        var start = tuner.Propose(new TrialSettings(0));
        var plus = tuner.Propose(new TrialSettings(1));
        tuner.Update(new TrialResult(0, start, 1.0, 10, TrialStatus.Completed));
        tuner.Update(new TrialResult(1, plus, 1.0, 2, TrialStatus.Completed));
        // The cheaper trial is the incumbent now, so the next direction trial starts from it, not from the default.
        var next = space.MappingToFeatureSpace(tuner.Propose(new TrialSettings(2)))[0];
        var plusAt = space.MappingToFeatureSpace(plus)[0];
        Assert.NotEqual(0.5 - (plusAt - 0.5), next, 6);
        Assert.Equal(tuner.StepSize, Math.Abs(next - plusAt), 6);
    }
}
