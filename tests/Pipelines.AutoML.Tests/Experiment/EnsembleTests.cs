using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Export;
using Pipelines.Testing;
using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.Torch;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>The final ensemble: kept where averaging the best trials helps on held-out validation rows, dropped where it does not.</summary>
public sealed class EnsembleTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pipelines-ensemble-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AveragingBoostedTreesAnMlpAndALinearModelBeatsTheBestOfThemOnConcrete()
    {
        // Seen with seeds 1, 2 and 3 on this split size (held-out R2 0.897/0.894, 0.924/0.918, 0.920/0.917).
        var ml = new MLContext(seed: 2);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.4, seed: 2);
        var result = await new AutoMLExperiment(ml).SetDataset(split.TrainSet, split.TestSet).SetRegressionMetric()
            .SetTrainers(new LinearCandidate(), new LightGbmCandidate(), new FastTreeCandidate(), new TorchMlpCandidate()).SetMaxTrials(8).SetSeed(2).RunAsync();

        var ensemble = Assert.IsType<EnsembleOutcome>(result.Ensemble);
        Assert.True(ensemble.Kept, $"held-out R2 {ensemble.HeldOutMetric:F4} against {ensemble.BestSingleHeldOutMetric:F4}");
        Assert.True(ensemble.HeldOutMetric > ensemble.BestSingleHeldOutMetric);
        Assert.True(ensemble.MemberTrialIds.Count >= 2);
        Assert.Equal(1, ensemble.Weights.Sum(), 9);

        // The result is the ensemble, recorded as a trial of its own: the study's result, leading the leaderboard or
        // chosen over the trial that does.
        Assert.Equal("ensemble", result.Best.Record.Trainer);
        Assert.Equal(result.Best.Record.Id, TrialAttributes.ResultOf(result.Leaderboard)!.Id);
        var members = result.Best.Record.Parameters[OneOfSpace.ParametersKey]["members"].ToNode().AsArray().Select(n => (int)n!).ToList();
        Assert.Equal(ensemble.MemberTrialIds, members);
        // The pool starts with each trainer's best, so the members are not one trainer's near copies.
        Assert.True(members.Select(id => result.Trials.Single(t => t.Id == id).Trainer).Distinct().Count() >= 2);
        // It takes the raw rows (the featurizer first), scores what was recorded, and saves and loads through plain ML.NET.
        double r2 = ml.Regression.Evaluate(result.Best.Model.Transform(split.TestSet)).RSquared;
        Assert.Equal(result.Best.Record.ValidationMetric!.Value, r2, 5);
        var path = Path.Combine(_dir, "model.zip");
        ml.Model.Save(result.Best.Model, split.TestSet.Schema, path);
        var loaded = new MLContext();
        loaded.ComponentCatalog.RegisterAssembly(typeof(TorchCatalog).Assembly);
        Assert.Equal(r2, ml.Regression.Evaluate(loaded.Model.Load(path, out _).Transform(split.TestSet)).RSquared, 5);

        // Its ONNX copy, every member and the average in one graph over the file's columns, scores as model.zip does.
        var onnx = ModelExport.ToOnnx(ml, result.Best.Model, split.TrainSet);
        Assert.True(onnx.Model != null, onnx.Failure);
        var expected = result.Best.Model.Transform(split.TestSet).GetColumn<float>("Score").ToArray();
        var actual = (float[])OnnxScoring.Run(onnx.Model!, split.TestSet)["Score.output"];
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-3, $"row {i}: ONNX {actual[i]}, model.zip {expected[i]}");
    }

    [Fact]
    public async Task WithRefitAKeptEnsembleIsRefittedMemberByMemberAndStillServes()
    {
        // The setup of the test above, whose ensemble is kept; the refit comes after the selection, so it is kept here too.
        var ml = new MLContext(seed: 2);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.4, seed: 2);
        var result = await new AutoMLExperiment(ml).SetDataset(split.TrainSet, split.TestSet).SetRegressionMetric()
            .SetTrainers(new LinearCandidate(), new LightGbmCandidate(), new FastTreeCandidate(), new TorchMlpCandidate()).SetMaxTrials(8).SetSeed(2)
            .SetRefit(true).RunAsync();

        Assert.True(result.Ensemble!.Kept);
        Assert.Equal("ensemble", result.Best.Record.Trainer);
        Assert.True(result.Best.Refitted);
        // Refitted on the validation rows too, the ensemble no longer scores what its trial recorded on them.
        double r2 = ml.Regression.Evaluate(result.Best.Model.Transform(split.TestSet)).RSquared;
        Assert.NotEqual(result.Best.Record.ValidationMetric!.Value, r2, 5);
        Assert.True(r2 > 0.9, $"R2 {r2:F4} on rows it was refitted on");
        var path = Path.Combine(_dir, "refitted.zip");
        ml.Model.Save(result.Best.Model, split.TestSet.Schema, path);
        var loaded = new MLContext();
        loaded.ComponentCatalog.RegisterAssembly(typeof(TorchCatalog).Assembly);
        Assert.Equal(r2, ml.Regression.Evaluate(loaded.Model.Load(path, out _).Transform(split.TestSet)).RSquared, 5);
    }

    [Fact]
    public async Task AnEnsembleOfTheSameModelIsDropped()
    {
        // Every trial trains the same logistic regression: no average of them can beat one of them.
        var ml = new MLContext(seed: 1);
        var result = await new AutoMLExperiment(ml).SetDataset(TestData.BreastCancer(ml), 0.3)
            .SetTrainers(new ScriptedCandidate((_, c) => ScriptedCandidate.Linear(c))).SetMaxTrials(4).SetSeed(1).RunAsync();
        Assert.False(result.Ensemble?.Kept ?? false);
        Assert.Equal("scripted", result.Best.Record.Trainer);
        Assert.DoesNotContain(result.Trials, t => t.Trainer == "ensemble");
    }

    static Task<ExperimentResult> RunDefaults(IDataView train, IDataView validation, params TrainerCandidate[] trainers) =>
        new AutoMLExperiment(new MLContext(seed: 1)).SetDataset(train, validation).SetRegressionMetric()
            .SetTrainers(trainers).SetMaxTrials(trainers.Length).SetSeed(1).RunAsync();

    [Fact]
    public async Task WhereTheSecondLookRunsTheEnsembleIsCheckedOnAllRowsEachFoldWeightedOnTheOthers()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.3, seed: 1);
        var result = await RunDefaults(split.TrainSet, split.TestSet, ScriptedCandidate.Off(5, "above"), ScriptedCandidate.Off(-5, "below"));

        var ensemble = Assert.IsType<EnsembleOutcome>(result.Ensemble);
        Assert.Equal(DefaultGuard.SecondLookFolds, ensemble.Folds);
        Assert.True(ensemble.Kept);
        Assert.Equal(2, ensemble.MemberTrialIds.Count);
        Assert.Equal("ensemble", result.Best.Record.Trainer);
        // The single model's R^2 is that of an error of 5 on every row of the train and validation rows together (the
        // validation rows alone have another variance); the ensemble's is near 1 on rows its weights did not see.
        var labels = split.TrainSet.GetColumn<float>("Label").Concat(split.TestSet.GetColumn<float>("Label")).Select(v => (double)v).ToArray();
        double variance = labels.Average(v => Math.Pow(v - labels.Average(), 2));
        Assert.Equal(1 - 25 / variance, ensemble.BestSingleHeldOutMetric, 4);
        Assert.True(ensemble.HeldOutMetric > 0.99, $"held out R2 {ensemble.HeldOutMetric:F4}");
        Assert.True(ml.Regression.Evaluate(result.Best.Model.Transform(split.TestSet)).RSquared > 0.99);
    }

    [Fact]
    public async Task AnEnsembleThatDoesNoBetterOnAllRowsThanTheChosenModelIsDropped()
    {
        // Two trainers that make the same model: on every row their average is each of them.
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.3, seed: 1);
        var result = await RunDefaults(split.TrainSet, split.TestSet, ScriptedCandidate.Off(5, "one"), ScriptedCandidate.Off(5, "other"));

        var ensemble = Assert.IsType<EnsembleOutcome>(result.Ensemble);
        Assert.Equal(DefaultGuard.SecondLookFolds, ensemble.Folds);
        Assert.False(ensemble.Kept);
        Assert.DoesNotContain(result.Trials, t => t.Trainer == "ensemble");
    }

    /// <summary>A uniform number in [0, 1) that a row's label fixes (a hash of it), so both candidates agree on which rows are which.</summary>
    static double RowUniform(float label, int salt)
    {
        double v = Math.Sin(label * 12.9898 + salt * 78.233) * 43758.5453;
        return v - Math.Floor(v);
    }

    [Fact]
    public async Task AnEnsembleThatLeadsByLessThanOneStandardErrorIsDropped()
    {
        // "steady" is off by 5 on every row, up or down; "noisy" is off the same way by 3.5 to 6.5, and the other way on
        // 1% of the rows. Averaged, they cancel on that 1% and scatter on the rest: the ensemble leads on all rows by
        // less than one standard error of the per-row differences, so the single model stays.
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.3, seed: 1);
        float Sign(float label) => RowUniform(label, 1) < 0.5 ? 1 : -1;
        var steady = ScriptedCandidate.OffBy(l => 5 * Sign(l), "steady");
        var noisy = ScriptedCandidate.OffBy(l => RowUniform(l, 2) < 0.01 ? -5 * Sign(l) : 5 * Sign(l) * (float)(1 + 0.6 * (RowUniform(l, 3) - 0.5)), "noisy");
        var result = await RunDefaults(split.TrainSet, split.TestSet, steady, noisy);

        var ensemble = Assert.IsType<EnsembleOutcome>(result.Ensemble);
        Assert.Equal(DefaultGuard.SecondLookFolds, ensemble.Folds);
        Assert.True(ensemble.HeldOutMetric > ensemble.BestSingleHeldOutMetric, $"held out R2 {ensemble.HeldOutMetric:F5} against {ensemble.BestSingleHeldOutMetric:F5}");
        Assert.False(ensemble.Kept);
        Assert.Equal("steady", result.Best.Record.Trainer);
    }
}
