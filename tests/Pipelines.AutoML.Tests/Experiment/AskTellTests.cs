using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>
/// Ask, then tell, through the experiment: each trial exists in the study before its tuner proposes for it, every
/// result comes back under the id it was proposed for, and a resumed study continues instead of replaying.
/// </summary>
public sealed class AskTellTests
{
    static readonly MLContext Ml = new(seed: 1);
    static readonly IDataView Data = TestData.BreastCancer(Ml);

    static AutoMLExperiment Experiment(IStudyStorage storage, string study, Func<SearchSpace, int, ITuner> tuner, int trials, ScriptedCandidate? candidate = null) =>
        new AutoMLExperiment(Ml).SetDataset(Data, 0.3)
            .SetTrainers(candidate ?? new ScriptedCandidate(ScriptedCandidate.Regularized))
            .SetTuner(tuner).SetMaxTrials(trials).SetSeed(4).SetStudy(storage, study).SetEnsemble(false);

    [Theory]
    [InlineData("cfo")]
    [InlineData("tpe")]
    [InlineData("random")]
    public async Task EveryResultReachesTheTunerUnderTheIdItWasProposedFor(string name)
    {
        // Another study in the same storage comes first, so trial ids do not start at 0 (the CFO bug: proposals
        // were filed under a per-run counter, results under the storage's ids, and CFO never left its start).
        using var storage = StudyStorageFactory.InMemory();
        await Experiment(storage, "other", (s, seed) => new RandomTuner(s, seed), 3).RunAsync();

        var proposals = new List<(int TrialId, Parameter Parameter)>();
        var updates = new List<TrialResult>();
        ITuner Inner(SearchSpace s, int seed) => name switch
        {
            "cfo" => new CfoTuner(s, seed),
            "tpe" => new TpeTuner(s, seed),
            _ => new RandomTuner(s, seed),
        };
        var result = await Experiment(storage, "keyed", (s, seed) => new RecordingTuner(Inner(s, seed), proposals, updates), 8).RunAsync();

        Assert.Equal(8, updates.Count);
        var proposed = proposals.GroupBy(p => p.TrialId).ToDictionary(g => g.Key, g => g.Last().Parameter);
        // The first trial runs the trainer's defaults before its tuner proposes; the tuner still learns from it.
        int first = result.Trials.Min(t => t.Id);
        Assert.DoesNotContain(first, proposed.Keys);
        Assert.All(updates, u =>
        {
            var stored = result.Trials.Single(t => t.Id == u.TrialId).Parameters[OneOfSpace.ParametersKey];
            Assert.Equal(stored, u.Parameter);
            if (u.TrialId == first) return;
            Assert.True(proposed.TryGetValue(u.TrialId, out var parameter), $"trial {u.TrialId} was never proposed for");
            Assert.Equal(parameter, u.Parameter);
        });
    }

    [Fact]
    public async Task CfoMovesOnFromTheBestTrialOfAnEarlierRun()
    {
        // CFO's start is the default, x = 1: the strongest penalty, the worst accuracy.
        var candidate = new ScriptedCandidate(ScriptedCandidate.Regularized, new SearchSpaceBuilder().Double("x", 0, 1, defaultValue: 1).Build());
        using var storage = StudyStorageFactory.InMemory();
        var first = await Experiment(storage, "cfo", (s, seed) => new RandomTuner(s, seed), 6, candidate).RunAsync();
        // Trials that tie with the best are all places CFO may continue from (it breaks ties by duration). The best by
        // objective, which the tuner learns from, not the run's result (which may be the defaults it did not clearly beat).
        var bestXs = first.Trials.Where(t => t.Objective == first.Leaderboard[0].Objective)
            .Select(t => t.Parameters[OneOfSpace.ParametersKey]["x"].AsDouble()).ToList();
        double step = 0.1; // CFO's first step on a one-dimensional space
        Assert.True(bestXs.Max() < 1 - 2 * step, $"the earlier run's best x = {bestXs.Max():F3} is too close to CFO's start to tell them apart");

        var proposals = new List<(int TrialId, Parameter Parameter)>();
        await Experiment(storage, "cfo", (s, seed) => new RecordingTuner(new CfoTuner(s, seed), proposals), 1, candidate).RunAsync();

        // Without the earlier trials CFO would evaluate its start first; with them it steps from the best one.
        double x = Assert.Single(proposals).Parameter["x"].AsDouble();
        Assert.True(bestXs.Any(b => Math.Abs(x - b) <= step + 1e-9), $"CFO proposed x = {x:F3}; the best earlier trials have x = {string.Join(", ", bestXs.Select(b => b.ToString("F3")))}");
    }

    [Theory]
    [InlineData("random")]
    [InlineData("grid")]
    public async Task AResumedRunProposesNoConfigurationAlreadyInTheStudy(string name)
    {
        // The same seed on resume used to replay the first run's opening proposals.
        var grid = new SearchSpaceBuilder().Int("x", 0, 7).Build();
        var candidate = new ScriptedCandidate((x, c) => ScriptedCandidate.Regularized(x / 7, c), grid);
        Func<SearchSpace, int, ITuner> tuner = name == "grid" ? (s, seed) => new GridTuner(s, seed) : (s, seed) => new RandomTuner(s, seed);
        using var storage = StudyStorageFactory.InMemory();
        await Experiment(storage, "resume", tuner, 4, candidate).RunAsync();
        var resumed = await Experiment(storage, "resume", tuner, 4, candidate).RunAsync();

        Assert.Equal(8, resumed.Trials.Count);
        var configurations = resumed.Trials.Select(t => t.Parameters.ToJson()).ToList();
        Assert.Equal(configurations.Count, configurations.Distinct().Count());
    }
}
