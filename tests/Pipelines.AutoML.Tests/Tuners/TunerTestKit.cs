using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Tests.Tuners;

/// <summary>Spaces, cheap analytic objectives and a sequential trial loop shared by the tuner tests.</summary>
internal static class TunerTestKit
{
    public static readonly string[] Optimizers = { "sgd", "adam", "rmsprop", "adagrad" };
    static readonly double[] OptimizerPenalty = { 0.3, 0.0, 0.1, 0.4 };

    /// <summary>A training-like space: log-scale ranges, a power-of-two batch size, a float and a choice.</summary>
    public static NestedSpace MixedSpace() => new SearchSpaceBuilder()
        .Double("learning_rate", 1e-5, 1, logBase: true)
        .PowerOfTwo("batch_size", 8, 1024)
        .Int("hidden", 16, 1024, logBase: true)
        .Float("dropout", 0f, 0.5f)
        .Choice("optimizer", Optimizers)
        .Build();

    /// <summary>
    /// A shifted, tilted ellipsoid over the log-scale positions of the mixed space's ranges, with a coupling between
    /// learning rate and batch size (a Rosenbrock-like valley) and a penalty per optimizer; its minimum is 0.
    /// </summary>
    public static double MixedLoss(Parameter p)
    {
        double lr = Math.Log10(p["learning_rate"].AsDouble() / 1e-5) / 5;        // optimum 1e-2 -> 0.6
        double batch = Math.Log2(p["batch_size"].AsInt() / 8.0) / 7;             // optimum 64 -> 3/7
        double hidden = Math.Log(p["hidden"].AsInt() / 16.0) / Math.Log(64);     // optimum 256 -> 2/3
        double dropout = p["dropout"].AsDouble() / 0.5;                          // optimum 0.1 -> 0.2
        double a = lr - 0.6, b = batch - 3.0 / 7, c = hidden - 2.0 / 3, d = dropout - 0.2;
        return a * a + 2 * b * b + c * c + 0.5 * d * d + 2 * (a - b) * (a - b)
            + OptimizerPenalty[Array.IndexOf(Optimizers, p["optimizer"].AsString())];
    }

    /// <summary>A boosted-trees-like space whose default is the cheap corner (few trees).</summary>
    public static NestedSpace CostlySpace() => new SearchSpaceBuilder()
        .Int("trees", 4, 1024, logBase: true, defaultValue: 4)
        .Double("learning_rate", 1e-3, 1, logBase: true, defaultValue: 0.1)
        .Int("leaves", 2, 64, defaultValue: 4)
        .Build();

    /// <summary>A smooth bowl whose minimum needs about 100 trees; the cost is proportional to the number of trees.</summary>
    public static double CostlyLoss(Parameter p)
    {
        double trees = Math.Log(p["trees"].AsInt() / 4.0) / Math.Log(256);          // optimum 111 -> 0.6
        double lr = Math.Log10(p["learning_rate"].AsDouble() / 1e-3) / 3;          // optimum ~8e-3 -> 0.3
        double leaves = (p["leaves"].AsInt() - 2) / 62.0;                           // optimum 33 -> 0.5
        return (trees - 0.6) * (trees - 0.6) + (lr - 0.3) * (lr - 0.3) + (leaves - 0.5) * (leaves - 0.5);
    }

    public static double CostlyCost(Parameter p) => p["trees"].AsInt() / 10.0;

    /// <summary>A conditional space: one option per trainer, each with its own ranges and choices.</summary>
    public static OneOfSpace ConditionalSpace() => new(new Dictionary<string, SearchSpace>
    {
        ["mlp"] = new SearchSpaceBuilder()
            .Double("learning_rate", 1e-4, 1e-1, logBase: true)
            .PowerOfTwo("batch_size", 16, 512)
            .Choice("activation", "relu", "gelu", "tanh")
            .Build(),
        ["trees"] = new SearchSpaceBuilder()
            .Int("trees", 10, 500, logBase: true)
            .Int("leaves", 2, 8)
            .Build(),
        ["linear"] = new SearchSpaceBuilder().Double("l2", 0, 1).Build(),
    }, defaultOption: "trees");

    public readonly record struct RunSummary(double BestLoss, double TotalCost, IReadOnlyList<Parameter> Proposals);

    /// <summary>Runs <paramref name="trials"/> trials one after the other, as the experiment loop would.</summary>
    public static RunSummary Run(ITuner tuner, int trials, Func<Parameter, double> loss, Func<Parameter, double>? cost = null)
    {
        double best = double.PositiveInfinity, totalCost = 0;
        var proposals = new List<Parameter>(trials);
        for (int id = 0; id < trials; id++)
        {
            var p = tuner.Propose(new TrialSettings(id));
            proposals.Add(p);
            double l = loss(p), c = cost?.Invoke(p) ?? 1;
            best = Math.Min(best, l);
            totalCost += c;
            var status = double.IsFinite(l) ? TrialStatus.Completed : TrialStatus.Failed;
            tuner.Update(new TrialResult(id, p, l, c, status));
        }
        return new RunSummary(best, totalCost, proposals);
    }

    /// <summary>Runs trials one after the other until their total cost reaches <paramref name="costBudget"/>, as a time budget would.</summary>
    public static RunSummary RunWithinCost(ITuner tuner, double costBudget, Func<Parameter, double> loss, Func<Parameter, double> cost)
    {
        double best = double.PositiveInfinity, totalCost = 0;
        var proposals = new List<Parameter>();
        for (int id = 0; totalCost < costBudget; id++)
        {
            var p = tuner.Propose(new TrialSettings(id));
            proposals.Add(p);
            double l = loss(p), c = cost(p);
            totalCost += c;
            // A trial that would end after the budget does not count, as in a timed experiment.
            if (totalCost <= costBudget) best = Math.Min(best, l);
            tuner.Update(new TrialResult(id, p, l, c, TrialStatus.Completed));
        }
        return new RunSummary(best, totalCost, proposals);
    }

    /// <summary>Two tuners' best losses over the same seeds: the medians, and on how many seeds the first did better.</summary>
    public sealed record SeedComparison(List<double> First, List<double> Second)
    {
        public double FirstMedian => Median(First);
        public double SecondMedian => Median(Second);
        public int FirstWins => First.Zip(Second).Count(pair => pair.First < pair.Second);
        public int Seeds => First.Count;
    }

    public static SeedComparison CompareOverSeeds(int seeds, Func<int, double> firstBestLoss, Func<int, double> secondBestLoss)
    {
        var comparison = new SeedComparison(new List<double>(), new List<double>());
        for (int seed = 0; seed < seeds; seed++)
        {
            comparison.First.Add(firstBestLoss(seed));
            comparison.Second.Add(secondBestLoss(seed));
        }
        return comparison;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }

    /// <summary>Fails unless <paramref name="p"/> is a point of <paramref name="space"/>: keys, ranges, integers, powers of two, choices.</summary>
    public static void AssertValid(SearchSpace space, Parameter p)
    {
        switch (space)
        {
            case NumericSpace numeric:
                double v = p.AsDouble();
                Assert.InRange(v, numeric.Min, numeric.Max);
                if (numeric.Type == NumericType.Int) Assert.Equal(Math.Round(v), v);
                if (numeric.PowerOfTwo) Assert.Equal(Math.Round(Math.Log2(v)), Math.Log2(v), 9);
                break;
            case ChoiceSpace choice:
                Assert.True(choice.IndexOf(p.ToNode()) >= 0, $"{p} is not one of the choices.");
                break;
            case NestedSpace nested:
                Assert.Equal(nested.Names, p.Keys);
                foreach (var name in nested.Names) AssertValid(nested[name], p[name]);
                break;
            case OneOfSpace oneOf:
                var option = p[OneOfSpace.OptionKey].AsString();
                Assert.Contains(option, oneOf.OptionNames);
                AssertValid(oneOf[option], p[OneOfSpace.ParametersKey]);
                break;
            default:
                throw new InvalidOperationException($"Unknown space type {space.GetType().Name}.");
        }
        // A valid point maps back onto itself.
        Assert.Equal(p, space.SampleFromFeatureSpace(space.MappingToFeatureSpace(p)));
    }
}
