using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Tuners;
using Xunit.Abstractions;

namespace Pipelines.AutoML.Tests.Tuners;

public class MultivariateTpeTests(ITestOutputHelper output)
{
    /// <summary>Learning rate and batch size only, on log scales: the pair whose good values move together.</summary>
    static NestedSpace RateAndBatchSpace() => new SearchSpaceBuilder()
        .Double("learning_rate", 1e-5, 1e-1, logBase: true)
        .PowerOfTwo("batch_size", 16, 4096)
        .Double("weight_decay", 1e-6, 1e-1, logBase: true)
        .Build();

    /// <summary>
    /// A narrow diagonal valley: the best learning rate grows with the batch size (the linear scaling rule), so only
    /// pairs near the diagonal of the two log scales are good, at any batch size; weight decay adds a shallow bowl.
    /// Its minimum is 0.
    /// </summary>
    static double ScalingRuleLoss(Parameter p)
    {
        double lr = Math.Log10(p["learning_rate"].AsDouble() / 1e-5) / 4;          // 0..1
        double batch = Math.Log2(p["batch_size"].AsInt() / 16.0) / 8;             // 0..1
        double decay = Math.Log10(p["weight_decay"].AsDouble() / 1e-6) / 5;       // 0..1
        double offDiagonal = lr - (0.2 + 0.6 * batch);
        return 40 * offDiagonal * offDiagonal + 0.3 * (batch - 0.7) * (batch - 0.7) + 0.2 * (decay - 0.4) * (decay - 0.4);
    }

    [Fact]
    public void FindsANarrowDiagonalValleyBetterThanIndependentTpe()
    {
        // Past TPE's first few dozen trials, when the good group holds enough points to show the diagonal.
        const int Trials = 150, Seeds = 30;
        var space = RateAndBatchSpace();
        var c = TunerTestKit.CompareOverSeeds(Seeds,
            seed => TunerTestKit.Run(new TpeTuner(space, seed, multivariate: true), Trials, ScalingRuleLoss).BestLoss,
            seed => TunerTestKit.Run(new TpeTuner(space, seed), Trials, ScalingRuleLoss).BestLoss);
        string report = $"Best loss after {Trials} trials, median over {Seeds} seeds: multivariate {c.FirstMedian:F4}, independent {c.SecondMedian:F4} " +
                        $"(multivariate better on {c.FirstWins}/{Seeds} seeds).";
        output.WriteLine(report);
        Assert.True(c.FirstMedian < 0.5 * c.SecondMedian, report);
        Assert.True(c.FirstWins >= Seeds / 2, report);
    }

    [Fact]
    public void IsDeterministicUnderASeedAndProposesValidPointsOfAConditionalSpace()
    {
        var space = TunerTestKit.ConditionalSpace();
        double Loss(Parameter p) => p[OneOfSpace.OptionKey].AsString() switch
        {
            "mlp" => Math.Abs(Math.Log10(p[OneOfSpace.ParametersKey]["learning_rate"].AsDouble()) + 2.5),
            "trees" => 0.5 + p[OneOfSpace.ParametersKey]["leaves"].AsInt() / 10.0,
            _ => 2,
        };
        var first = TunerTestKit.Run(new TpeTuner(space, seed: 5, multivariate: true, costExponent: 0.5), 40, Loss, p => 1 + p[OneOfSpace.ParametersKey].Keys.Count());
        var second = TunerTestKit.Run(new TpeTuner(space, seed: 5, multivariate: true, costExponent: 0.5), 40, Loss, p => 1 + p[OneOfSpace.ParametersKey].Keys.Count());
        Assert.Equal(first.Proposals, second.Proposals);
        Assert.All(first.Proposals, p => TunerTestKit.AssertValid(space, p));
        // After its random start it settles on the best option, whose parameters it learned separately.
        Assert.True(first.Proposals.Skip(25).Count(p => p[OneOfSpace.OptionKey].AsString() == "mlp") >= 10,
            string.Join(", ", first.Proposals.Skip(25).Select(p => p[OneOfSpace.OptionKey].AsString())));
    }

    [Fact]
    public void TheJointDensityIntegratesToOneOverNumbersAndChoices()
    {
        var space = new SearchSpaceBuilder()
            .Double("x", 0, 1)
            .Double("y", 0, 1)
            .Choice("c", "a", "b", "c")
            .Build();
        var dimensions = UnitCube.Describe(space);
        // Centres near the edges, where truncation matters most.
        var points = new List<double[]> { new[] { 0.02, 0.9, 0.1 }, new[] { 0.5, 0.97, 0.5 }, new[] { 0.8, 0.05, 0.9 } };
        var density = new JointParzenEstimator(dimensions, points, priorWeight: 1.0);
        const int Steps = 200;
        double total = 0;
        for (int bin = 0; bin < 3; bin++)
            for (int i = 0; i < Steps; i++)
                for (int j = 0; j < Steps; j++)
                    total += Math.Exp(density.LogDensity(new[] { (i + 0.5) / Steps, (j + 0.5) / Steps, (bin + 0.5) / 3 })) / (Steps * Steps);
        // A choice's density is its probability, so summing the bins and integrating the numbers gives 1.
        Assert.Equal(1.0, total, 2);
    }

    [Fact]
    public void DrawsKeepTheCorrelationOfTheObservedPoints()
    {
        var space = new SearchSpaceBuilder().Double("x", 0, 1).Double("y", 0, 1).Build();
        var dimensions = UnitCube.Describe(space);
        var observed = Enumerable.Range(0, 12).Select(i => { double t = (i + 0.5) / 12; return new[] { t, t }; }).ToList();
        var density = new JointParzenEstimator(dimensions, observed, priorWeight: 1.0);
        var random = new Random(3);
        var draws = Enumerable.Range(0, 4000).Select(_ => density.Sample(random)).ToList();
        double Correlation(IReadOnlyList<double[]> sample)
        {
            double mx = sample.Average(p => p[0]), my = sample.Average(p => p[1]);
            double sxy = sample.Sum(p => (p[0] - mx) * (p[1] - my)), sxx = sample.Sum(p => (p[0] - mx) * (p[0] - mx)), syy = sample.Sum(p => (p[1] - my) * (p[1] - my));
            return sxy / Math.Sqrt(sxx * syy);
        }
        double correlation = Correlation(draws);
        Assert.All(draws, p => Assert.All(p, v => Assert.InRange(v, 0, 1)));
        // The points lie on the diagonal: draws follow it (1/13 of them come from the uncorrelated prior kernel; sampling
        // each coordinate on its own would give a correlation near 0).
        Assert.True(correlation > 0.7, $"correlation of draws {correlation:F3}");
        // And the density is higher on the diagonal than off it.
        Assert.True(density.LogDensity(new[] { 0.3, 0.3 }) > density.LogDensity(new[] { 0.3, 0.7 }) + 1);
    }
}
