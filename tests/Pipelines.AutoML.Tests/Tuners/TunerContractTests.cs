using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Tests.Tuners;

/// <summary>What every tuner promises: reproducible under a seed, valid points only, parallel- and failure-safe.</summary>
public class TunerContractTests
{
    public static TheoryData<string> TunerNames => new() { "random", "grid", "tpe", "tpe-multivariate", "cfo" };

    static ITuner Create(string name, SearchSpace space, int seed) => name switch
    {
        "random" => new RandomTuner(space, seed),
        "grid" => new GridTuner(space, seed),
        "tpe" => new TpeTuner(space, seed),
        "tpe-multivariate" => new TpeTuner(space, seed, multivariate: true),
        "cfo" => new CfoTuner(space, seed),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(TunerNames))]
    public void SameSeedAndUpdatesGiveSameProposalsAndAnotherSeedDiffers(string name)
    {
        var space = TunerTestKit.MixedSpace();
        var first = TunerTestKit.Run(Create(name, space, seed: 7), 40, TunerTestKit.MixedLoss).Proposals;
        var second = TunerTestKit.Run(Create(name, space, seed: 7), 40, TunerTestKit.MixedLoss).Proposals;
        var other = TunerTestKit.Run(Create(name, space, seed: 8), 40, TunerTestKit.MixedLoss).Proposals;
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [MemberData(nameof(TunerNames))]
    public void ProposalsAreValidPointsOfMixedAndConditionalSpaces(string name)
    {
        var mixed = TunerTestKit.MixedSpace();
        foreach (var p in TunerTestKit.Run(Create(name, mixed, seed: 1), 80, TunerTestKit.MixedLoss).Proposals)
            TunerTestKit.AssertValid(mixed, p);

        var conditional = TunerTestKit.ConditionalSpace();
        var run = TunerTestKit.Run(Create(name, conditional, seed: 2), 120, ConditionalLoss);
        foreach (var p in run.Proposals) TunerTestKit.AssertValid(conditional, p);
        if (name != "cfo") // CFO stays near its start on purpose; the others explore every option.
            Assert.Equal(3, run.Proposals.Select(p => p[OneOfSpace.OptionKey].AsString()).Distinct().Count());
    }

    /// <summary>Trees are best with about 100 trees; the MLP depends on its learning rate; linear is mediocre.</summary>
    static double ConditionalLoss(Parameter p)
    {
        var x = p[OneOfSpace.ParametersKey];
        return p[OneOfSpace.OptionKey].AsString() switch
        {
            "trees" => Math.Abs(Math.Log10(x["trees"].AsInt() / 100.0)) + 0.05 * x["leaves"].AsInt(),
            "mlp" => Math.Abs(Math.Log10(x["learning_rate"].AsDouble() / 1e-3)) + (x["activation"].AsString() == "gelu" ? 0 : 0.2),
            _ => 0.8 + x["l2"].AsDouble(),
        };
    }

    [Theory]
    [MemberData(nameof(TunerNames))]
    public void FailedAndDivergedTrialsDoNotBreakTheTuner(string name)
    {
        var space = TunerTestKit.MixedSpace();
        // Every third trial fails, every fifth diverges to NaN; the others report the analytic loss.
        int calls = 0;
        double Flaky(Parameter p) => ++calls % 3 == 0 ? double.PositiveInfinity : calls % 5 == 0 ? double.NaN : TunerTestKit.MixedLoss(p);
        var run = TunerTestKit.Run(Create(name, space, seed: 3), 60, Flaky);
        foreach (var p in run.Proposals) TunerTestKit.AssertValid(space, p);

        var allFailing = TunerTestKit.Run(Create(name, space, seed: 4), 40, _ => double.PositiveInfinity);
        foreach (var p in allFailing.Proposals) TunerTestKit.AssertValid(space, p);
    }

    [Theory]
    [MemberData(nameof(TunerNames))]
    public void ParallelProposalsBeforeAnyUpdateAreValidAndDistinct(string name)
    {
        var space = TunerTestKit.MixedSpace();
        var tuner = Create(name, space, seed: 5);
        int nextId = 0;
        for (int batch = 0; batch < 6; batch++)
        {
            // Eight workers ask before any of them reports, then report in reverse order.
            var proposed = Enumerable.Range(0, 8).Select(_ => (Id: nextId++, Parameter: tuner.Propose(new TrialSettings(nextId - 1)))).ToList();
            foreach (var (_, p) in proposed) TunerTestKit.AssertValid(space, p);
            Assert.Equal(8, proposed.Select(t => t.Parameter).Distinct().Count());
            foreach (var (id, p) in Enumerable.Reverse(proposed))
                tuner.Update(new TrialResult(id, p, TunerTestKit.MixedLoss(p), 1, TrialStatus.Completed));
        }
    }

    [Theory]
    [MemberData(nameof(TunerNames))]
    public void ResultsOfTrialsTheTunerDidNotProposeAreAccepted(string name)
    {
        var space = TunerTestKit.MixedSpace();
        var tuner = Create(name, space, seed: 6);
        // A resumed study replays old results before asking for new points.
        var replay = new RandomTuner(space, seed: 99);
        for (int id = 0; id < 20; id++)
        {
            var p = replay.Propose(new TrialSettings(id));
            tuner.Update(new TrialResult(1000 + id, p, TunerTestKit.MixedLoss(p), 1, TrialStatus.Completed));
        }
        for (int id = 0; id < 10; id++) TunerTestKit.AssertValid(space, tuner.Propose(new TrialSettings(id)));
    }
}
