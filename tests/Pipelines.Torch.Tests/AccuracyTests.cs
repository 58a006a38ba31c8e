using Microsoft.ML;
using Pipelines.Torch.Trainers;

namespace Pipelines.Torch.Tests;

/// <summary>Accuracy on held-out splits of real data, measured with ML.NET's own evaluators.</summary>
public class AccuracyTests
{
    [Fact]
    public void BinaryBreastCancerReachesNinetyFivePercent()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.BreastCancer(ml), testFraction: 0.25, seed: 1);
        var model = ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 30, Seed = 1 }).Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.Accuracy >= 0.95, $"accuracy {metrics.Accuracy:F4}");
        Assert.True(metrics.AreaUnderRocCurve >= 0.97, $"AUC {metrics.AreaUnderRocCurve:F4}");
    }

    [Fact]
    public void MulticlassWineReachesNinetyFivePercent()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(TestData.Wine(ml)).Transform(TestData.Wine(ml));
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 2);
        var model = ml.MulticlassClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 40, Seed = 1 }).Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.MacroAccuracy >= 0.95, $"macro accuracy {metrics.MacroAccuracy:F4}");
        Assert.True(metrics.MicroAccuracy >= 0.95, $"micro accuracy {metrics.MicroAccuracy:F4}");
    }

    [Fact]
    public void RegressionConcreteBeatsTheMeanPredictorClearly()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.2, seed: 3);
        var options = new TorchMlpTrainer.Options { Epochs = 60, BatchSize = 32, LearningRate = 3e-3, Seed = 1 };
        var model = ml.Regression.Trainers.TorchMlp(options).Fit(split.TrainSet);
        var metrics = ml.Regression.Evaluate(model.Transform(split.TestSet));
        Assert.True(metrics.RSquared >= 0.80, $"R^2 {metrics.RSquared:F4} (a mean predictor scores about 0)");
    }
}
