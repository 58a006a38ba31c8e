using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Tests.Tuners;

/// <summary>The trainer choice: defaults first and cheapest first, then by estimated cost for improvement, within the budget.</summary>
public sealed class PortfolioTunerTests
{
    static readonly NestedSpace Trees = new SearchSpaceBuilder().Int("trees", 4, 1000, logBase: true, defaultValue: 100).Double("rate", 0.01, 1, logBase: true).Build();

    static OneOfSpace Space(params string[] names) => new(names.Select(n => KeyValuePair.Create(n, (SearchSpace)Trees)));

    static PortfolioTuner Tuner(OneOfSpace space, params PortfolioTrainer[] trainers) =>
        new(space, seed: 3, trainers, (s, seed) => new RandomTuner(s, seed));

    static string TrainerOf(Parameter p) => p[OneOfSpace.OptionKey].AsString();

    static void Tell(ITuner tuner, int id, Parameter p, double loss, double seconds) =>
        tuner.Update(new TrialResult(id, p, loss, seconds, TrialStatus.Completed));

    [Fact]
    public void EveryTrainerFirstRunsItsDefaultsCheapestFirst()
    {
        var space = Space("slow", "cheap", "middle");
        var tuner = Tuner(space,
            new("slow", Parameter.FromJson("""{"trees":50}"""), 10), new("cheap", Parameter.CreateObject(), 1), new("middle", Trees.Default, 3));
        var first = Enumerable.Range(1, 3).Select(i => tuner.Propose(new TrialSettings(i))).ToList();
        Assert.Equal(new[] { "cheap", "middle", "slow" }, first.Select(TrainerOf));
        Assert.Empty(first[0][OneOfSpace.ParametersKey].Keys);
        Assert.Equal(Trees.Default, first[1][OneOfSpace.ParametersKey]);
        Assert.Equal(50, first[2][OneOfSpace.ParametersKey]["trees"].AsInt());
        // A trainer that already has a trial in the study (a resumed run) does not run its defaults again.
        var resumed = Tuner(space, new("slow", Trees.Default, 10), new("cheap", Trees.Default, 1), new("middle", Trees.Default, 3));
        Tell(resumed, 1, first[0], 0.3, 1);
        Assert.Equal("middle", TrainerOf(resumed.Propose(new TrialSettings(2))));
    }

    [Fact]
    public void OfTwoEquallyGoodTrainersTheFasterGetsMostTrials()
    {
        var tuner = Tuner(Space("fast", "slow"), new("fast", Trees.Default, 1), new("slow", Trees.Default, 1));
        var counts = new Dictionary<string, int> { ["fast"] = 0, ["slow"] = 0 };
        for (int id = 1; id <= 200; id++)
        {
            var p = tuner.Propose(new TrialSettings(id));
            string trainer = TrainerOf(p);
            if (id > 2) counts[trainer]++;
            Tell(tuner, id, p, loss: 0.5, seconds: trainer == "fast" ? 1 : 10);
        }
        Assert.True(counts["fast"] > 3 * counts["slow"], $"fast {counts["fast"]}, slow {counts["slow"]}");
        Assert.True(counts["slow"] > 0, "every trainer keeps a chance");
    }

    [Fact]
    public void ATrainerBehindTheBestGetsFewerTrials()
    {
        var tuner = Tuner(Space("good", "behind"), new("good", Trees.Default, 1), new("behind", Trees.Default, 1));
        var counts = new Dictionary<string, int> { ["good"] = 0, ["behind"] = 0 };
        for (int id = 1; id <= 200; id++)
        {
            var p = tuner.Propose(new TrialSettings(id));
            string trainer = TrainerOf(p);
            if (id > 2) counts[trainer]++;
            Tell(tuner, id, p, loss: trainer == "good" ? 0.1 : 0.4, seconds: 1);
        }
        Assert.True(counts["good"] > 2 * counts["behind"], $"good {counts["good"]}, behind {counts["behind"]}");
    }

    [Fact]
    public void UnderABudgetATrialIsCutToTheTreesThatFitAndNoneStartsWhenNothingFits()
    {
        var space = Space("trees");
        var tuner = Tuner(space, new PortfolioTrainer("trees", Trees.Default, 1, FidelityParameter: "trees"));
        var first = tuner.Propose(new TrialSettings(1, SecondsLeft: 100));
        // 100 trees took 10 s: 0.1 s a tree.
        Tell(tuner, 1, first, 0.3, 10);
        for (int id = 2; id < 30; id++)
        {
            int trees = tuner.Propose(new TrialSettings(id, SecondsLeft: 5))[OneOfSpace.ParametersKey]["trees"].AsInt();
            Assert.InRange(trees, 4, 45);
        }
        Assert.True(tuner.CanFit(1));
        // The fewest trees, 4, take 0.4 s: with less left nothing is started.
        Assert.False(tuner.CanFit(0.3));
    }

    [Fact]
    public void AnUntriedTrainerIsPredictedAtTheSlowestMeasuredRateAndPassedOverWhenThatDoesNotFit()
    {
        var space = Space("fast", "slow", "untried");
        var tuner = Tuner(space, new("fast", Trees.Default, 1), new("slow", Trees.Default, 1), new("untried", Trees.Default, 2));
        Tell(tuner, 1, tuner.Propose(new TrialSettings(1)), 0.3, 1);
        Tell(tuner, 2, tuner.Propose(new TrialSettings(2)), 0.3, 10);
        // 10 s per unit of relative cost, the slower of the two rates: 20 s (the mean rate, 5.5 s, would say 11).
        Assert.NotEqual("untried", TrainerOf(tuner.Propose(new TrialSettings(3, SecondsLeft: 15))));
        Assert.Equal("untried", TrainerOf(tuner.Propose(new TrialSettings(4, SecondsLeft: 25))));
    }
}
