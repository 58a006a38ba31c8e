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
}
