using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Pipelines.Torch;
using Pipelines.Torch.Data;
using Pipelines.Torch.Ensembles;

namespace Pipelines.AutoML.Tests.Experiment;

/// <summary>The model a run returns for a kept ensemble, refitted wholly, partly or not at all.</summary>
public sealed class FinalModelTests
{
    /// <summary>A study of concrete with one default trial per candidate, told to a tell step as a run's trials are.</summary>
    static (MLContext Ml, IDataView Test, DatasetPlan Plan, IEstimator<ITransformer> Featurizer, ExperimentData Data, StudySession Session, TellStep Tell, List<TrialRecord> Trials)
        Study(params TrainerCandidate[] candidates)
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.3, seed: 1);
        var plan = new DatasetPlan { All = ml.Data.Cache(split.TrainSet), ValidationFraction = 0.25 };
        // A featurizer fitted on the rows it is given: refitted members and those kept as trained must read the same features.
        var featurizer = ml.Transforms.NormalizeMinMax("Features");
        var data = new DataPreparation(ml, plan, featurizer, 1).Prepare(PredictionKind.Regression, "Label", "RSquared", OptimizationDirection.Maximize);
        var storage = new InMemoryStudyStorage();
        storage.CreateOrOpenStudy("final", OptimizationDirection.Maximize, "RSquared", "{}");
        var session = new StudySession(storage, "final", data, candidates, new NopPruner(), new Quiet(), 0, 1);
        var tell = new TellStep(session, new RandomTuner(new SearchSpaceBuilder().Double("x", 0, 1).Build(), 1), new object());
        var trials = candidates.Select(candidate =>
        {
            var parameters = Parameter.FromNode(new JsonObject { [OneOfSpace.OptionKey] = candidate.Name, [OneOfSpace.ParametersKey] = new JsonObject() });
            int id = storage.CreateTrial("final", parameters, candidate.Name, DateTimeOffset.UtcNow);
            tell.Tell(id, TrialRunner.Run(candidate, parameters[OneOfSpace.ParametersKey], data, 1, 1, 0, null, () => false, CancellationToken.None), 1);
            return storage.GetTrial(id);
        }).ToList();
        return (ml, split.TestSet, plan, featurizer, data, session, tell, trials);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void AnEnsembleRefitsTheMembersItIsGivenAndKeepsTheOthersAsTrained(bool refitFirst, bool refitSecond)
    {
        var (fastTree, lightGbm) = (new RowCounting(new FastTreeCandidate()), new RowCounting(new LightGbmCandidate()));
        var (ml, test, plan, featurizer, data, session, tell, members) = Study(fastTree, lightGbm);
        var weights = new[] { 0.6, 0.4 };
        var validation = data.Folds[0].Validation;
        var trained = WeightedEnsemble.Build(members.Select(m => { tell.TryGetModel(m.Id, out var kept); return kept.Model; }).ToList(), weights,
            PredictionKind.Regression, validation);
        var refit = new[] { (refitFirst, members[0].Id), (refitSecond, members[1].Id) }.Where(r => r.Item1).Select(r => r.Item2).ToHashSet();

        var best = new FinalModel(ml, session, plan, featurizer, 1).ForEnsemble(members[0], trained, members, weights, refit, tell);

        Assert.Equal(refitFirst && refitSecond, best.Refitted);
        Assert.Equal(refit.Order(), best.RefittedTrialIds.Order());
        int all = DataPreparation.CountRows(plan.All);
        Assert.Equal(refitFirst ? new[] { data.TrainRows, all } : new[] { data.TrainRows }, fastTree.RowsSeen);
        Assert.Equal(refitSecond ? new[] { data.TrainRows, all } : new[] { data.TrainRows }, lightGbm.RowsSeen);
        // It takes the raw rows (the featurizer first), predicts well on rows it never saw, and saves and loads through plain ML.NET.
        double r2 = ml.Regression.Evaluate(best.Model.Transform(test)).RSquared;
        Assert.True(r2 > 0.8, $"test R2 {r2:F4}");
        var path = Path.Combine(Path.GetTempPath(), $"pipelines-final-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(best.Model, test.Schema, path);
            var loaded = new MLContext();
            loaded.ComponentCatalog.RegisterAssembly(typeof(TorchCatalog).Assembly);
            Assert.Equal(r2, ml.Regression.Evaluate(loaded.Model.Load(path, out _).Transform(test)).RSquared, 5);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AnEnsembleThatWinsItsCheckIsDroppedWhenTheRunMayNotKeepIt()
    {
        var (_, _, _, _, _, session, tell, trials) = Study(ScriptedCandidate.Off(5, "above"), ScriptedCandidate.Off(-5, "below"), new LinearCandidate());
        var kept = new FinalEnsemble(session, tell, 1).Build(trials)!.Value;
        Assert.True(kept.Outcome.Kept, $"held out {kept.Outcome.HeldOutMetric:F4} against {kept.Outcome.BestSingleHeldOutMetric:F4}");
        int before = session.Storage.GetTrials("final").Count;

        IReadOnlyList<TrialRecord>? asked = null;
        var dropped = new FinalEnsemble(session, tell, 1) { MayKeep = (members, _) => { asked = members; return false; } }.Build(trials)!.Value;
        Assert.False(dropped.Outcome.Kept);
        Assert.True(dropped.Outcome.DroppedForRefit);
        Assert.Null(dropped.Record);
        Assert.Equal(kept.Outcome.MemberTrialIds, asked!.Select(t => t.Id));
        Assert.Equal(before, session.Storage.GetTrials("final").Count); // nothing recorded for it
    }

    [Fact]
    public void TheEnsembleStepIsPredictedFromTheBestTrialsScoringTimes()
    {
        var (_, _, _, _, _, session, tell, trials) = Study(new LinearCandidate(), new FastTreeCandidate());
        Assert.True(tell.EnsembleStepSeconds(1) > 0);
        Assert.True(tell.EnsembleStepSeconds(2) > tell.EnsembleStepSeconds(1));
        Assert.Equal(tell.EnsembleStepSeconds(2), tell.EnsembleStepSeconds(10));
    }

    sealed class Quiet : IMonitor;

    /// <summary>A trainer candidate that notes the training rows of each fit.</summary>
    sealed class RowCounting(TrainerCandidate inner) : TrainerCandidate
    {
        public ConcurrentQueue<int> RowsSeen { get; } = new();
        public override string Name => inner.Name;
        public override bool Supports(PredictionKind task) => inner.Supports(task);
        public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => inner.DefaultSearchSpace(task, trainRows);
        public override TrialFit Fit(TrialFitContext context, Parameter parameters)
        {
            RowsSeen.Enqueue(context.TrainRows);
            return inner.Fit(context, parameters);
        }
    }
}
