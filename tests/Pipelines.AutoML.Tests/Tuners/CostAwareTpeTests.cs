using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Xunit.Abstractions;

namespace Pipelines.AutoML.Tests.Tuners;

public class CostAwareTpeTests(ITestOutputHelper output)
{
    /// <summary>Training-like cost: wide networks and small batches are slow, as on a CPU.</summary>
    static double TrainingCost(Parameter p) => p["hidden"].AsInt() / (double)p["batch_size"].AsInt();

    [Fact]
    public void ReachesAGoodLossForLessCostThanPlainTpe()
    {
        const int Seeds = 12;
        const double CostBudget = 300;
        var space = TunerTestKit.MixedSpace();
        var c = TunerTestKit.CompareOverSeeds(Seeds,
            seed => TunerTestKit.RunWithinCost(new TpeTuner(space, seed, numberOfStartupTrials: 5, costExponent: 0.5), CostBudget, TunerTestKit.MixedLoss, TrainingCost).BestLoss,
            seed => TunerTestKit.RunWithinCost(new TpeTuner(space, seed, numberOfStartupTrials: 5), CostBudget, TunerTestKit.MixedLoss, TrainingCost).BestLoss);
        string report = $"Best loss within a cost of {CostBudget}, median over {Seeds} seeds: cost-aware TPE {c.FirstMedian:F4}, plain TPE {c.SecondMedian:F4} " +
                        $"(cost-aware better on {c.FirstWins}/{Seeds} seeds).";
        output.WriteLine(report);
        Assert.True(c.FirstMedian < 0.5 * c.SecondMedian, report);
        Assert.True(c.FirstWins >= 8, report);
    }

    [Fact]
    public void PrefersTheCheaperOfEquallyGoodPoints()
    {
        // The loss ignores x; the cost grows 150-fold from x = 0 to x = 1. Once the cost model has its trials,
        // cost-aware proposals crowd the cheap end, plain TPE's stay spread over the range.
        var space = new SearchSpaceBuilder().Double("x", 0, 1).Double("y", 0, 1).Build();
        double Loss(Parameter p) => Math.Abs(p["y"].AsDouble() - 0.3);
        double Cost(Parameter p) => Math.Exp(5 * p["x"].AsDouble());
        var aware = TunerTestKit.Run(new TpeTuner(space, seed: 4, costExponent: 0.5), 80, Loss, Cost).Proposals.Skip(20).ToList();
        var plain = TunerTestKit.Run(new TpeTuner(space, seed: 4), 80, Loss, Cost).Proposals.Skip(20).ToList();
        double awareMean = aware.Average(p => p["x"].AsDouble()), plainMean = plain.Average(p => p["x"].AsDouble());
        int awareNearY = aware.Count(p => Math.Abs(p["y"].AsDouble() - 0.3) < 0.1), plainNearY = plain.Count(p => Math.Abs(p["y"].AsDouble() - 0.3) < 0.1);
        output.WriteLine($"Mean x after 20 trials: cost-aware {awareMean:F3}, plain {plainMean:F3}; y within 0.1 of its optimum: cost-aware {awareNearY}/60, plain {plainNearY}/60.");
        Assert.True(awareMean < 0.25, $"Cost-aware TPE proposed mean x {awareMean:F3}; the cheap end is x = 0.");
        Assert.True(plainMean > 0.35, $"Plain TPE proposed mean x {plainMean:F3}; with a loss that ignores x it has no reason to move.");
        // The cost depends on x alone, so y converges to its optimum as without cost.
        Assert.True(awareNearY >= 30 && awareNearY >= plainNearY - 6, $"Cost-aware TPE put {awareNearY}/60 proposals near the best y, plain TPE {plainNearY}/60.");
    }

    [Fact]
    public void IgnoresCostUntilEnoughTrialsHaveCompleted()
    {
        // Until MinimumCostObservations trials completed, a cost-aware tuner proposes exactly what plain TPE does.
        var space = TunerTestKit.MixedSpace();
        var aware = new TpeTuner(space, seed: 9, numberOfStartupTrials: 2, costExponent: 1);
        var plain = new TpeTuner(space, seed: 9, numberOfStartupTrials: 2);
        for (int id = 0; id < 6; id++)
        {
            var p = aware.Propose(new TrialSettings(id));
            Assert.Equal(plain.Propose(new TrialSettings(id)), p);
            // Only pruned trials: their durations are cut short, so they never feed the cost model.
            var result = new TrialResult(id, p, TunerTestKit.MixedLoss(p), 1 + id, TrialStatus.Pruned);
            aware.Update(result);
            plain.Update(result);
        }
    }

    [Fact]
    public void IsDeterministicUnderASeed()
    {
        var space = TunerTestKit.ConditionalSpace();
        double Loss(Parameter p) => p[OneOfSpace.OptionKey].AsString() == "trees" ? 0.5 : 1.0;
        double Cost(Parameter p) => p[OneOfSpace.OptionKey].AsString() == "mlp" ? 10 : 1;
        var first = TunerTestKit.Run(new TpeTuner(space, seed: 5, costExponent: 0.5), 40, Loss, Cost).Proposals;
        var second = TunerTestKit.Run(new TpeTuner(space, seed: 5, costExponent: 0.5), 40, Loss, Cost).Proposals;
        Assert.Equal(first, second);
        Assert.All(first, p => TunerTestKit.AssertValid(space, p));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void RejectsACostExponentThatIsNotZeroOrPositive(double exponent)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TpeTuner(TunerTestKit.MixedSpace(), costExponent: exponent));
        Assert.Equal("costExponent", error.ParamName);
    }
}
