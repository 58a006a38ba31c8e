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
/// their per-row difference gives way to them; a clear lead keeps it. The models are scripted regressions whose
/// error on each row is set by its label, so the lead and its standard error can be computed here as well.
/// </summary>
public class DefaultGuardTests
{
    // x = 0 (the first choice, the defaults): off by 1 on every row. x = 1: better on some rows and worse on others,
    // a small lead in all. x = 2: off by 0.5 everywhere, a clear lead.
    static float Error(double x, float label) => x switch
    {
        0 => 1f,
        1 => (int)Math.Floor(label) % 7 == 0 ? 0.8f : (int)Math.Floor(label) % 7 == 1 ? 1.12f : 1f,
        _ => 0.5f,
    };

    sealed class LabelRow { public float Label { get; set; } }
    sealed class ScoreRow { public float Score { get; set; } }

    static Task<ExperimentResult> Run(IStudyStorage storage, int trials, params double[] choices)
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.3, seed: 1);
        var candidate = new ScriptedCandidate((x, c) => new TrialFit(c.MLContext.Transforms.CustomMapping<LabelRow, ScoreRow>(
                (i, o) => o.Score = i.Label + Error(x, i.Label), contractName: null).Fit(c.Train)),
            new SearchSpaceBuilder().Choice("x", choices.Cast<object>().ToArray()).Build());
        return new AutoMLExperiment(ml).SetDataset(split.TrainSet, split.TestSet).SetRegressionMetric().SetStudy(storage, "guard")
            .SetTrainers(candidate).SetTuner((s, seed) => new GridTuner(s)).SetEnsemble(false).SetMaxTrials(trials).SetSeed(1).RunAsync();
    }

    static async Task<(ExperimentResult Result, IDataView Validation)> Search(params double[] choices)
    {
        var result = await Run(StudyStorageFactory.InMemory(), choices.Length, choices);
        var ml = new MLContext(seed: 1);
        return (result, ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.3, seed: 1).TestSet);
    }

    static double X(TrialRecord t) => t.Parameters[OneOfSpace.ParametersKey]["x"].AsDouble();

    [Fact]
    public async Task ABestTrialWithinOneStandardErrorOfTheDefaultsGivesWayToThem()
    {
        var (result, validation) = await Search(0.0, 1.0);

        var labels = validation.GetColumn<float>("Label").ToArray();
        var differences = labels.Select(l => Math.Pow(Error(0, l), 2) - Math.Pow(Error(1, l), 2)).ToArray();
        double lead = differences.Average();
        double se = Math.Sqrt(differences.Sum(d => (d - lead) * (d - lead)) / (labels.Length - 1) / labels.Length);
        Assert.True(lead > 0 && lead <= se, $"the scripted lead {lead:G3} should be positive and within its standard error {se:G3}");

        var choice = Assert.IsType<DefaultChoice>(result.DefaultChoice);
        Assert.Equal(0.0, X(choice.Default));
        Assert.Equal(1.0, X(choice.Passed));
        Assert.Equal(lead, choice.Lead, 4);
        Assert.Equal(se, choice.StandardError, 4);
        // The saved model is the defaults', though the leaderboard's first row is the trial it passed over.
        Assert.Equal(choice.Default.Id, result.Best.Record.Id);
        Assert.Equal(choice.Passed.Id, result.Leaderboard[0].Id);
        Assert.Equal(choice.Passed.Id.ToString(), result.Trials.Single(t => t.Id == choice.Default.Id).Attributes[TrialAttributes.ChosenOver]);
        Assert.Equal(choice.Default.Id, TrialAttributes.ResultOf(result.Leaderboard)!.Id);
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
        var (result, _) = await Search(0.0, 2.0);
        Assert.Null(result.DefaultChoice);
        Assert.Equal(2.0, X(result.Best.Record));
        Assert.Equal(result.Leaderboard[0].Id, TrialAttributes.ResultOf(result.Leaderboard)!.Id);
    }
}
