using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Testing;
using Pipelines.Torch.Trainers;

namespace Pipelines.Torch.Tests;

/// <summary>Scoring in batches with TorchSharp gives what the ONNX scoring chain gives, as an evaluator reads it.</summary>
public sealed class BatchScoringTests
{
    static IDataView Wine(MLContext ml)
    {
        var raw = ml.Data.LoadFromTextFile(RepositoryPaths.Dataset("wine.csv"), new[]
        {
            new TextLoader.Column("Features", DataKind.Single, 0, 12),
            new TextLoader.Column("Class", DataKind.String, 13),
        }, separatorChar: ',', hasHeader: true);
        return ml.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(raw).Transform(raw);
    }

    static TorchMlpTrainer.Options Options => new() { Epochs = 4, Seed = 1, ValidationFraction = 0 };

    [Fact]
    public void BinaryScoresAndMetricsMatchTheOnnxChain()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(RealDatasets.BreastCancer(ml));
        var model = ml.BinaryClassification.Trainers.TorchMlp(Options).Fit(data);
        var (onnx, batched) = (model.Transform(data), model.ScoreInBatches(data));
        AssertClose(onnx.GetColumn<float>("Probability"), batched.GetColumn<float>("Probability"));
        Assert.Equal(onnx.GetColumn<bool>("PredictedLabel"), batched.GetColumn<bool>("PredictedLabel"));
        var (a, b) = (ml.BinaryClassification.Evaluate(onnx), ml.BinaryClassification.Evaluate(batched));
        Assert.Equal(a.Accuracy, b.Accuracy, 9);
        Assert.Equal(a.AreaUnderRocCurve, b.AreaUnderRocCurve, 4);
        Assert.Equal(a.LogLoss, b.LogLoss, 4);
    }

    [Fact]
    public void MulticlassScoresAndMetricsMatchTheOnnxChain()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(Wine(ml));
        var model = ml.MulticlassClassification.Trainers.TorchMlp(Options).Fit(data);
        var (onnx, batched) = (model.Transform(data), model.ScoreInBatches(data));
        AssertClose(onnx.GetColumn<float[]>("Score").SelectMany(v => v), batched.GetColumn<float[]>("Score").SelectMany(v => v));
        Assert.Equal(onnx.GetColumn<uint>("PredictedLabel"), batched.GetColumn<uint>("PredictedLabel"));
        var (a, b) = (ml.MulticlassClassification.Evaluate(onnx), ml.MulticlassClassification.Evaluate(batched));
        Assert.Equal(a.MicroAccuracy, b.MicroAccuracy, 9);
        Assert.Equal(a.LogLoss, b.LogLoss, 4);
    }

    [Fact]
    public void RegressionScoresAndMetricsMatchTheOnnxChain()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Cache(RealDatasets.Concrete(ml));
        var model = ml.Regression.Trainers.TorchMlp(Options).Fit(data);
        var (onnx, batched) = (model.Transform(data), model.ScoreInBatches(data));
        AssertClose(onnx.GetColumn<float>("Score"), batched.GetColumn<float>("Score"));
        Assert.Equal(ml.Regression.Evaluate(onnx).RSquared, ml.Regression.Evaluate(batched).RSquared, 5);
    }

    static void AssertClose(IEnumerable<float> expected, IEnumerable<float> actual)
    {
        var (e, a) = (expected.ToList(), actual.ToList());
        Assert.Equal(e.Count, a.Count);
        for (int i = 0; i < e.Count; i++) Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4 * (1 + Math.Abs(e[i])), $"value {i}: {a[i]}, expected {e[i]}");
    }
}
