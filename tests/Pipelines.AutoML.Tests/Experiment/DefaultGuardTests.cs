using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Pipelines.Torch.Data;
using Xunit;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>
/// The one-standard-error rule: a best trial that leads the trainer's defaults by less than one standard error of
/// their per-row difference gives way to them; a clear lead keeps it. Where it fits, the comparison is a second look
/// over all rows (3-fold cross-validation); else the kept models meet on the validation rows. The models are scripted
/// regressions whose error on each row is set by its label, so the lead and its standard error can be computed here
/// as well.
/// </summary>
public class DefaultGuardTests
{
    // x = 0 (the first choice, the defaults): off by 1 on every row. x = 1: better on some rows and worse on others,
    // a small lead on the validation rows and a smaller one on the others. x = 2: off by 0.5 everywhere, a clear lead.
    static float Error(double x, float label) => x switch
    {
        0 => 1f,
        1 => (int)Math.Floor(label) % 7 == 0 ? 0.8f : (int)Math.Floor(label) % 7 == 1 ? (OnValidation(label) ? 1.12f : 1.16f) : 1f,
        _ => 0.5f,
    };

    static readonly HashSet<float> ValidationLabels = Labels(Split(new MLContext(seed: 1)).Validation).ToHashSet();

    /// <summary>Whether a row with this label may be a validation row (a label of a validation row).</summary>
    static bool OnValidation(float label) => ValidationLabels.Contains(label);

    sealed class LabelRow { public float Label { get; set; } }
    sealed class ScoreRow { public float Score { get; set; } }

    static (IDataView Train, IDataView Validation) Split(MLContext ml)
    {
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.3, seed: 1);
        return (split.TrainSet, split.TestSet);
    }

    /// <summary>A candidate on the choices x whose model is off by <paramref name="error"/>(x, label) on each row, after <paramref name="sleep"/> ms.</summary>
    static ScriptedCandidate Scripted(Func<double, float, float> error, double[] choices, string name = "scripted", int sleep = 0) =>
        new((x, c) =>
        {
            Thread.Sleep(sleep);
            return new TrialFit(c.MLContext.Transforms.CustomMapping<LabelRow, ScoreRow>((i, o) => o.Score = i.Label + error(x, i.Label), contractName: null).Fit(c.Train));
        }, new SearchSpaceBuilder().Choice("x", choices.Cast<object>().ToArray()).Build(), name: name);

    static Task<ExperimentResult> Run(IStudyStorage storage, int trials, double? seconds = null, params TrainerCandidate[] candidates)
    {
        var ml = new MLContext(seed: 1);
        var (train, validation) = Split(ml);
        var experiment = new AutoMLExperiment(ml).SetDataset(train, validation).SetRegressionMetric().SetStudy(storage, "guard")
            .SetTrainers(candidates).SetTuner((s, seed) => new GridTuner(s)).SetEnsemble(false).SetMaxTrials(trials).SetSeed(1);
        return (seconds is { } s ? experiment.SetTrainingTimeInSeconds(s) : experiment).RunAsync();
    }

    static Task<ExperimentResult> Run(IStudyStorage storage, int trials, params double[] choices) =>
        Run(storage, trials, null, Scripted(Error, choices));

    static double X(TrialRecord t) => t.Parameters[OneOfSpace.ParametersKey]["x"].AsDouble();

    /// <summary>The mean of the per-row differences of squared errors (default minus best) and its standard error.</summary>
    static (double Lead, double StandardError) Lead(IEnumerable<float> labels, Func<float, float> best, Func<float, float> fallback)
    {
        var differences = labels.Select(l => Math.Pow(fallback(l), 2) - Math.Pow(best(l), 2)).ToArray();
        double lead = differences.Average();
        return (lead, Math.Sqrt(differences.Sum(d => (d - lead) * (d - lead)) / (differences.Length - 1) / differences.Length));
    }

    static float[] Labels(IDataView rows) => rows.GetColumn<float>("Label").ToArray();

    [Fact]
    public async Task ABestTrialWithinOneStandardErrorOfTheDefaultsOnAllRowsGivesWayToThem()
    {
        var result = await Run(StudyStorageFactory.InMemory(), 2, 0.0, 1.0);

        var (train, validation) = Split(new MLContext(seed: 1));
        var all = Labels(train).Concat(Labels(validation)).ToArray();
        var (lead, se) = Lead(all, l => Error(1, l), l => Error(0, l));
        Assert.True(lead > 0 && lead <= se, $"the scripted lead {lead:G3} should be positive and within its standard error {se:G3}");

        var choice = Assert.IsType<DefaultChoice>(result.DefaultChoice);
        Assert.Equal((0.0, 1.0), (X(choice.Default), X(choice.Passed)));
        Assert.Equal((all.Length, DefaultGuard.SecondLookFolds), (choice.Rows, choice.Folds));
        Assert.Equal(lead, choice.Lead, 4);
        Assert.Equal(se, choice.StandardError, 4);
        // The saved model is the defaults', though the leaderboard's first row is the trial it passed over.
        Assert.Equal(choice.Default.Id, result.Best.Record.Id);
        Assert.Equal(choice.Passed.Id, result.Leaderboard[0].Id);
        Assert.Equal(choice.Passed.Id.ToString(), result.Trials.Single(t => t.Id == choice.Default.Id).Attributes[TrialAttributes.ChosenOver]);
        Assert.Equal(choice.Default.Id, TrialAttributes.ResultOf(result.Leaderboard)!.Id);
    }

    [Fact]
    public async Task WhereTheSecondLookDoesNotFitTheBudgetTheKeptModelsMeetOnTheValidationRows()
    {
        // Three one-second trials under six seconds: the second look (about 3 x 1 s x 1.43 x 2) does not fit what is
        // left. Only the best default meets the best trial there: b's defaults, far off, are not scored.
        var b = Scripted((_, _) => 3f, [0.0], "b", sleep: 1000);
        var result = await Run(StudyStorageFactory.InMemory(), 3, 6, Scripted(Error, [0.0, 1.0], sleep: 1000), b);

        var validation = Labels(Split(new MLContext(seed: 1)).Validation);
        var (lead, se) = Lead(validation, l => Error(1, l), l => Error(0, l));
        Assert.True(lead > 0 && lead <= se, $"the scripted lead {lead:G3} should be positive and within its standard error {se:G3}");
        Assert.Equal(3, result.Trials.Count);
        var choice = Assert.IsType<DefaultChoice>(result.DefaultChoice);
        Assert.Equal(("scripted", 0.0), (choice.Default.Trainer, X(choice.Default)));
        Assert.Equal((validation.Length, 0), (choice.Rows, choice.Folds));
        Assert.Equal(lead, choice.Lead, 4);
    }

    [Fact]
    public async Task ASecondLookThatRunsPastTheBudgetGivesUpAndTheKeptModelsMeetOnTheValidationRows()
    {
        // The trials are quick, so the second look is predicted to fit; its own fits (given no validation rows) take
        // 1.2 s each, and under a 3-second budget it stops before its fourth of six.
        int slowFits = 0;
        var candidate = new ScriptedCandidate((x, c) =>
        {
            if (c.Validation == null) { Interlocked.Increment(ref slowFits); Thread.Sleep(1200); }
            return new TrialFit(c.MLContext.Transforms.CustomMapping<LabelRow, ScoreRow>((i, o) => o.Score = i.Label + Error(x, i.Label), contractName: null).Fit(c.Train));
        }, new SearchSpaceBuilder().Choice("x", 0.0, 1.0).Build());
        var result = await Run(StudyStorageFactory.InMemory(), 2, 3, candidate);

        var choice = Assert.IsType<DefaultChoice>(result.DefaultChoice);
        Assert.Equal(0, choice.Folds);
        Assert.InRange(slowFits, 1, 4);
    }

    [Fact]
    public async Task AnOverdueSecondLookGoesOnWithoutTheOtherTrainersTrialsAndKeepsItsOwn()
    {
        // Four trainers' defaults under a 4-second budget with the ensemble on: the guard's own candidates (the best and
        // the two best other defaults) are cross-validated first, then the fourth, the worst, joins for the ensemble. Its
        // fits in the second look (given no validation rows) take 2 s each, so the look is overdue before it ends.
        int slowFits = 0;
        var slow = new ScriptedCandidate((_, c) =>
        {
            if (c.Validation == null) { Interlocked.Increment(ref slowFits); Thread.Sleep(2000); }
            return new TrialFit(c.MLContext.Transforms.CustomMapping<LabelRow, ScoreRow>((i, o) => o.Score = i.Label + 9, contractName: null).Fit(c.Train));
        }, name: "slow");
        var ml = new MLContext(seed: 1);
        var (train, validation) = Split(ml);
        var result = await new AutoMLExperiment(ml).SetDataset(train, validation).SetRegressionMetric()
            .SetTrainers(ScriptedCandidate.Off(1, "a"), ScriptedCandidate.Off(-1.5f, "b"), ScriptedCandidate.Off(2, "c"), slow)
            .SetMaxTrials(4).SetTrainingTimeInSeconds(4).SetSeed(1).RunAsync();

        var ensemble = Assert.IsType<EnsembleOutcome>(result.Ensemble);
        Assert.Equal(DefaultGuard.SecondLookFolds, ensemble.Folds);
        Assert.DoesNotContain(result.Trials.Single(t => t.Trainer == "slow").Id, ensemble.MemberTrialIds);
        Assert.InRange(slowFits, 1, 2);
    }

    [Fact]
    public async Task TheSecondLookPassesOverALeadOnlyTheValidationRowsShowAndTakesTheDefaultThatIsBestOnAllRows()
    {
        var validation = Split(new MLContext(seed: 1)).Validation;
        static bool V(float label) => OnValidation(label);
        // a's tuned x = 1 is better than every default on the validation rows and worse on the others; b's defaults are
        // behind a's on the validation rows and ahead on all rows; b's x = 2 is far off everywhere.
        var a = Scripted((x, l) => x == 0 ? 1f : V(l) ? 0.5f : 1.5f, [0.0, 1.0], "a");
        var b = Scripted((x, l) => x == 0 ? (V(l) ? 1.05f : 0.9f) : 3f, [0.0, 2.0], "b");
        var result = await Run(StudyStorageFactory.InMemory(), 4, null, a, b);

        var best = result.Leaderboard[0];
        Assert.Equal(("a", 1.0), (best.Trainer, X(best)));
        var firstLook = Lead(Labels(validation), l => V(l) ? 0.5f : 1.5f, _ => 1f);
        Assert.True(firstLook.Lead > firstLook.StandardError, "on the validation rows alone the tuned trial leads clearly");
        var choice = Assert.IsType<DefaultChoice>(result.DefaultChoice);
        Assert.Equal(("b", 0.0), (choice.Default.Trainer, X(choice.Default)));
        Assert.Equal(best.Id, choice.Passed.Id);
        Assert.True(choice.Lead < 0, $"on all rows the tuned trial trails b's defaults, lead {choice.Lead:G3}");
        Assert.Equal(choice.Default.Id, result.Best.Record.Id);
    }

    [Fact]
    public async Task ABestTrialThatIsADefaultGivesWayToAnotherDefaultThatIsBetterOnAllRows()
    {
        // a's defaults lead on the validation rows and trail b's on the others, and so on all rows.
        var a = Scripted((_, l) => OnValidation(l) ? 0.5f : 1.5f, [0.0], "a");
        var b = Scripted((_, _) => 1f, [0.0], "b");
        var result = await Run(StudyStorageFactory.InMemory(), 2, null, a, b);

        Assert.Equal("a", result.Leaderboard[0].Trainer);
        var choice = Assert.IsType<DefaultChoice>(result.DefaultChoice);
        Assert.Equal(("b", "a"), (choice.Default.Trainer, choice.Passed.Trainer));
        Assert.True(choice.Lead < 0, $"a trails b on all rows, lead {choice.Lead:G3}");
        Assert.Equal(choice.Default.Id, result.Best.Record.Id);
    }

    [Fact]
    public async Task ARunThatTrainsNothingBetterReturnsTheDefaultsAnEarlierRunChose()
    {
        // As `pipelines export` and a resume with nothing left to run do: no trial, the study's result trained again.
        var storage = StudyStorageFactory.InMemory();
        var first = await Run(storage, 2, 0.0, 1.0);
        var chosen = Assert.IsType<DefaultChoice>(first.DefaultChoice).Default.Id;
        var again = await Run(storage, 0, 0.0, 1.0);
        Assert.Equal(chosen, again.Best.Record.Id);
    }

    [Fact]
    public async Task AClearLeadKeepsTheBestTrial()
    {
        var result = await Run(StudyStorageFactory.InMemory(), 2, 0.0, 2.0);
        Assert.Null(result.DefaultChoice);
        Assert.Equal(2.0, X(result.Best.Record));
        Assert.Equal(result.Leaderboard[0].Id, TrialAttributes.ResultOf(result.Leaderboard)!.Id);
    }
}
