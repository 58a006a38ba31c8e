using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;
using Pipelines.Testing;
using Pipelines.Torch.Data;
using Pipelines.Torch.Ensembles;
using Pipelines.Torch.Trainers;
using Xunit.Abstractions;
using static Pipelines.Torch.Tests.PipelineOnnxTests;

namespace Pipelines.Torch.Tests.Ensembles;

/// <summary>
/// ConvertEnsemblePipelineToOnnx: a featurizer and a weighted ensemble of an ML.NET model and a Torch model as one ONNX
/// model over the data's columns, scored by ONNX Runtime against the saved and loaded model.zip on unseen rows.
/// </summary>
public sealed class EnsembleOnnxTests(ITestOutputHelper output)
{
    static readonly TorchMlpTrainer.Options Torch = new() { Epochs = 5, Seed = 1 };

    /// <summary>The featurizer fitted on the rows, then the ensemble of <paramref name="trainers"/> over its features.</summary>
    static ITransformer Ensemble(MLContext ml, IEstimator<ITransformer> featurizer, IDataView rows, PredictionKind kind, params IEstimator<ITransformer>[] trainers)
    {
        var features = featurizer.Fit(rows);
        var featurized = ml.Data.Cache(features.Transform(rows));
        var members = trainers.Select(t => t.Fit(featurized)).ToList();
        return features.Append(WeightedEnsemble.Build(members, new[] { 0.6, 0.4 }, kind, featurized));
    }

    byte[] Convert(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.ConvertEnsemblePipelineToOnnx(model, data, stream);
        OnnxChecker.AssertValid(stream.ToArray(), output.WriteLine);
        return stream.ToArray();
    }

    [Fact]
    public void ABinaryEnsembleOverTheFileColumnsAgreesWithModelZip()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ml.Data.TakeRows(Adult(ml), 3000), testFraction: 0.25, seed: 1);
        var model = Ensemble(ml, AdultFeaturizer(ml), split.TrainSet, PredictionKind.BinaryClassification,
            ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), ml.BinaryClassification.Trainers.TorchMlp(Torch));

        var onnx = Convert(ml, model, split.TrainSet);
        var graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        // The file's columns the members read, each once; the label is not needed.
        Assert.Equal(new[] { "age", "education_num", "hours_per_week", "occupation", "sex", "workclass" }, graph.Input.Select(i => i.Name).Order());
        Assert.Equal(new[] { "PredictedLabel.output", "Score.output", "Probability.output" }, graph.Output.Select(o => o.Name));

        var expected = SavedAndLoaded(ml, model, split.TrainSet.Schema).Transform(split.TestSet);
        var actual = OnnxScoring.Run(onnx, split.TestSet);
        AssertClose(expected.GetColumn<float>("Probability").ToArray(), actual["Probability.output"], "Probability");
        AssertClose(expected.GetColumn<float>("Score").ToArray(), actual["Score.output"], "Score");
        Assert.Equal(expected.GetColumn<bool>("PredictedLabel").ToArray(), (bool[])actual["PredictedLabel.output"]);
    }

    [Fact]
    public void AMulticlassEnsembleGivesTheClassValuesAsModelZipDoes()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Iris(ml), testFraction: 0.3, seed: 2);
        var featurizer = ml.Transforms.Conversion.MapValueToKey("Label", "Species").Append(ml.Transforms.NormalizeMinMax("Features"));
        var ensemble = Ensemble(ml, featurizer, split.TrainSet, PredictionKind.MulticlassClassification,
            ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 20),
            ml.MulticlassClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 20, Seed = 1 }));
        var scored = ensemble.Transform(split.TrainSet);
        var model = ensemble.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(scored));

        var onnx = Convert(ml, model, split.TrainSet);
        var expected = SavedAndLoaded(ml, model, split.TrainSet.Schema).Transform(split.TestSet);
        var actual = OnnxScoring.Run(onnx, split.TestSet);
        AssertClose(expected.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), actual["Score.output"], "Score");
        var labels = expected.GetColumn<string>("PredictedLabel").ToArray();
        Assert.Equal(labels, (string[])actual["PredictedLabel.output"]);
        Assert.Contains("setosa", labels);
    }

    [Fact]
    public void ARegressionEnsembleAgreesWithModelZip()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.25, seed: 1);
        var model = Ensemble(ml, ml.Transforms.NormalizeMeanVariance("Features"), split.TrainSet, PredictionKind.Regression,
            ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 20), ml.Regression.Trainers.TorchMlp(Torch));

        var onnx = Convert(ml, model, split.TrainSet);
        var expected = SavedAndLoaded(ml, model, split.TrainSet.Schema).Transform(split.TestSet).GetColumn<float>("Score").ToArray();
        AssertClose(expected, OnnxScoring.Run(onnx, split.TestSet)["Score.output"], "Score");
    }

    [Fact]
    public void AMemberWithoutAnOnnxFormIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Concrete(ml);
        var unconvertible = ml.Transforms.CustomMapping<FeaturesRow, DoubledRow>((i, o) => o.Doubled = i.Features.Select(v => 2 * v).ToArray(), contractName: null)
            .Append(ml.Regression.Trainers.Sdca(featureColumnName: "Doubled", maximumNumberOfIterations: 5));
        var model = Ensemble(ml, ml.Transforms.NormalizeMeanVariance("Features"), data, PredictionKind.Regression,
            ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 5), unconvertible);

        var e = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertEnsemblePipelineToOnnx(model, data, new MemoryStream()));
        Assert.StartsWith("Member 2 of the ensemble", e.Message);
        Assert.Contains("has no ONNX form", e.Message);
    }

    public sealed class FeaturesRow
    {
        [VectorType(8)] public float[] Features { get; set; } = [];
    }

    public sealed class DoubledRow
    {
        [VectorType(8)] public float[] Doubled { get; set; } = [];
    }
}
