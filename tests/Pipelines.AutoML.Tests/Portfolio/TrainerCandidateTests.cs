using Microsoft.ML;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.Portfolio;
using Pipelines.Torch.Trainers;

namespace Pipelines.AutoML.Tests.Portfolio;

/// <summary>Every tabular candidate fits with its default parameters on real data for every task and scores sensibly.</summary>
public class TrainerCandidateTests
{
    public static IEnumerable<object[]> Cases() =>
        from name in TrainerPortfolio.Tabular.Select(c => c.Name)
        from task in new[] { PredictionKind.BinaryClassification, PredictionKind.MulticlassClassification, PredictionKind.Regression }
        select new object[] { name, task };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DefaultParametersTrainAReasonableModel(string trainer, PredictionKind task)
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.ForTask(ml, task);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);
        var candidate = TrainerPortfolio.Parse(trainer)[0];
        var space = candidate.DefaultSearchSpace(task, 400);
        var context = new TrialFitContext { MLContext = ml, Task = task, Train = split.TrainSet, Validation = split.TestSet, Seed = 1, Threads = 1 };
        var parameters = space.Default;
        if (candidate is TorchMlpCandidate) parameters = parameters.With("epochs", AutoML.SearchSpaces.Parameter.FromInt(20));
        var fit = candidate.Fit(context, parameters);
        var metric = MetricCatalog.DefaultMetric(task);
        double value = MetricCatalog.Evaluate(ml, task, metric, fit.Model.Transform(split.TestSet), "Label");
        double threshold = task == PredictionKind.Regression ? 0.5 : 0.85;
        Assert.True(value >= threshold, $"{trainer} {task}: {metric} {value:F4} < {threshold}");
        Assert.Equal(candidate.TrainsInEpochs, fit.TrainingReport != null);
    }

    [Fact]
    public void APointThatLeavesParametersOutKeepsTheTrainersOwnDefaults()
    {
        // A user's space may hold only some parameters; the others keep the trainer's defaults, stated in its Options.
        var ml = new MLContext(seed: 1);
        var context = new TrialFitContext { MLContext = ml, Task = PredictionKind.Regression, Train = TestData.Concrete(ml) };
        var o = new TorchMlpCandidate().ToOptions(AutoML.SearchSpaces.Parameter.FromJson("""{ "epochs": 7, "activation": "gelu" }"""), context);
        var defaults = new TorchMlpTrainer.Options();
        Assert.Equal((7, defaults.BatchSize, defaults.LearningRate, defaults.WeightDecay, defaults.Dropout), (o.Epochs, o.BatchSize, o.LearningRate, o.WeightDecay, o.Dropout));
        Assert.Equal(defaults.HiddenLayers, o.HiddenLayers);
        Assert.Equal(Torch.Networks.Activation.GELU, o.Activation);
        Assert.Equal(defaults.Optimizer, o.Optimizer);
        // The rate follows the batch size by the optimizer's rule: square root for Adam.
        Assert.Equal(Torch.Training.LearningRateScaling.SquareRoot, o.LearningRateScaling);
    }

    [Fact]
    public void AnMLNetCandidatesFirstTrialIsTheCatalogsTrainerAndATorchCandidatesItsTunedDefaults()
    {
        var lightgbm = new LightGbmCandidate();
        var own = lightgbm.DefaultSearchSpace(PredictionKind.BinaryClassification, 500);
        Assert.Empty(lightgbm.FirstPoint(own, PredictionKind.BinaryClassification, 500).Keys);
        var narrowed = own.With("number_of_leaves", new AutoML.SearchSpaces.NumericSpace(AutoML.SearchSpaces.NumericType.Int, 4, 8));
        Assert.Equal(narrowed.Default, lightgbm.FirstPoint(narrowed, PredictionKind.BinaryClassification, 500));
        var mlp = new TorchMlpCandidate();
        var space = mlp.DefaultSearchSpace(PredictionKind.BinaryClassification, 500);
        Assert.Equal(space.Default, mlp.FirstPoint(space, PredictionKind.BinaryClassification, 500));
    }

    [Fact]
    public void ACandidateCarriesItsDeviceAndThePackagesItsModelNeeds()
    {
        var shared = TrainerPortfolio.Parse("torch-mlp")[0];
        var onCpu = Assert.IsType<TorchMlpCandidate>(shared.OnDevice("cpu"));
        Assert.Equal("cpu", onCpu.Device);
        Assert.Equal("auto", ((TorchCandidate)shared).Device);
        Assert.Equal(onCpu.ReferenceBatchSize, ((TorchCandidate)shared).ReferenceBatchSize);
        var linear = TrainerPortfolio.Parse("linear")[0];
        Assert.Same(linear, linear.OnDevice("cuda"));
        Assert.Equal(new[] { "Pipelines.Torch" }, onCpu.ModelPackages);
        Assert.Equal(new[] { "Microsoft.ML.FastTree" }, TrainerPortfolio.Parse("fastforest")[0].ModelPackages);
        Assert.Empty(linear.ModelPackages);
    }

    [Fact]
    public void BatchSizeRangeIsCappedAtTheTrainingRows()
    {
        var space = new TorchMlpCandidate().DefaultSearchSpace(PredictionKind.BinaryClassification, trainRows: 300);
        var batch = (AutoML.SearchSpaces.NumericSpace)space["batch_size"];
        Assert.Equal(256, batch.Max);
        Assert.True(batch.PowerOfTwo);
    }

    [Fact]
    public void UnknownTrainerNamesListTheChoices()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainerPortfolio.Parse("torch-mlp,xgboost"));
        Assert.Contains("'xgboost'", e.Message);
        Assert.Contains("fasttree", e.Message);
    }

    [Theory]
    [InlineData(PredictionKind.BinaryClassification, "auc", "AreaUnderRocCurve")]
    [InlineData(PredictionKind.MulticlassClassification, "accuracy", "MicroAccuracy")]
    [InlineData(PredictionKind.Regression, "rmse", "RootMeanSquaredError")]
    public void MetricAliasesResolve(PredictionKind task, string alias, string name) => Assert.Equal(name, MetricCatalog.Resolve(task, alias));

    [Fact]
    public void AMetricOfAnotherTaskIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => MetricCatalog.Resolve(PredictionKind.Regression, "auc"));
        Assert.Contains("RSquared", e.Message);
    }
}
