using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;
using Pipelines.Testing;
using Pipelines.Torch.Trainers;
using Xunit.Abstractions;

namespace Pipelines.Torch.Tests;

/// <summary>
/// ConvertTorchPipelineToOnnx: ML.NET featurization and the Torch network as one ONNX model that takes the data's own
/// columns, scored by ONNX Runtime against the saved and loaded model.zip on rows the model did not train on.
/// </summary>
public sealed class PipelineOnnxTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    /// <summary>Adult census rows: numeric and categorical columns as the file has them, a Boolean label.</summary>
    internal static IDataView Adult(MLContext ml) => ml.Data.LoadFromTextFile(TestData.Path("adult.csv"), new[]
    {
        new TextLoader.Column("age", DataKind.Single, 0),
        new TextLoader.Column("workclass", DataKind.String, 1),
        new TextLoader.Column("education_num", DataKind.Single, 4),
        new TextLoader.Column("occupation", DataKind.String, 6),
        new TextLoader.Column("sex", DataKind.String, 9),
        new TextLoader.Column("hours_per_week", DataKind.Single, 12),
        new TextLoader.Column("label", DataKind.Boolean, 14),
    }, separatorChar: ',', hasHeader: true);

    internal static IEstimator<ITransformer> AdultFeaturizer(MLContext ml) =>
        ml.Transforms.ReplaceMissingValues(new[] { new InputOutputColumnPair("age"), new InputOutputColumnPair("education_num"), new InputOutputColumnPair("hours_per_week") })
            .Append(ml.Transforms.Categorical.OneHotEncoding(new[] { new InputOutputColumnPair("workclass"), new InputOutputColumnPair("occupation"), new InputOutputColumnPair("sex") }))
            .Append(ml.Transforms.Concatenate("Features", "age", "workclass", "education_num", "occupation", "sex", "hours_per_week"))
            .Append(ml.Transforms.CopyColumns("Label", "label"));

    /// <summary>The model saved to model.zip and loaded back, as an app gets it.</summary>
    internal static ITransformer SavedAndLoaded(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        stream.Position = 0;
        return new MLContext().Model.Load(stream, out _);
    }

    byte[] Convert(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.ConvertTorchPipelineToOnnx(model, data, stream);
        var bytes = stream.ToArray();
        OnnxChecker.AssertValid(bytes, output.WriteLine);
        return bytes;
    }

    internal static void AssertClose(float[] expected, Array actual, string name)
    {
        var got = (float[])actual;
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - got[i]) <= Tolerance, $"{name}[{i}]: model.zip {expected[i]}, ONNX {got[i]}");
    }

    [Fact]
    public void BinaryPipelineWithCategoricalColumnsAgreesWithModelZip()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(ml.Data.TakeRows(Adult(ml), 4000), testFraction: 0.25, seed: 1);
        var model = AdultFeaturizer(ml)
            .Append(ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 3, Seed = 1 }))
            .Fit(split.TrainSet);

        var onnx = Convert(ml, model, split.TrainSet);
        var graph = ModelProto.Parser.ParseFrom(onnx).Graph;
        // The file's columns the prediction reads, by their names; the label is not needed.
        Assert.Equal(new[] { "age", "workclass", "education_num", "occupation", "sex", "hours_per_week" }, graph.Input.Select(i => i.Name));
        Assert.Equal(new[] { "PredictedLabel.output", "Score.output", "Probability.output" }, graph.Output.Select(o => o.Name));

        var expected = SavedAndLoaded(ml, model, split.TrainSet.Schema).Transform(split.TestSet);
        var actual = OnnxScoring.Run(onnx, split.TestSet);
        AssertClose(expected.GetColumn<float>("Score").ToArray(), actual["Score.output"], "Score");
        AssertClose(expected.GetColumn<float>("Probability").ToArray(), actual["Probability.output"], "Probability");
        Assert.Equal(expected.GetColumn<bool>("PredictedLabel").ToArray(), (bool[])actual["PredictedLabel.output"]);
    }

    [Fact]
    public void AMappingOfTheBinaryPredictionToClassNamesIsKept()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.BreastCancer(ml), testFraction: 0.25, seed: 1);
        var names = new[] { new KeyValuePair<bool, string>(true, "malignant"), new KeyValuePair<bool, string>(false, "benign") };
        var model = ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 5, Seed = 1 })
            .Append(ml.Transforms.Conversion.MapValue("PredictedLabel", names, "PredictedLabel"))
            .Fit(split.TrainSet);

        var onnx = Convert(ml, model, split.TrainSet);
        var expected = SavedAndLoaded(ml, model, split.TrainSet.Schema).Transform(split.TestSet).GetColumn<string>("PredictedLabel").ToArray();
        Assert.Equal(new[] { "benign", "malignant" }, expected.Distinct().Order());
        Assert.Equal(expected, (string[])OnnxScoring.Run(onnx, split.TestSet)["PredictedLabel.output"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MulticlassPipelineGivesTheClassValuesOrTheKeyAsModelZipDoes(bool mapKeyToValue)
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Iris(ml), testFraction: 0.3, seed: 2);
        var estimator = ml.Transforms.Conversion.MapValueToKey("Label", "Species")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 20, Seed = 1 }));
        var model = mapKeyToValue
            ? (ITransformer)estimator.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(split.TrainSet)
            : estimator.Fit(split.TrainSet);

        var onnx = Convert(ml, model, split.TrainSet);
        Assert.Equal(new[] { "Features" }, ModelProto.Parser.ParseFrom(onnx).Graph.Input.Select(i => i.Name));

        var expected = SavedAndLoaded(ml, model, split.TrainSet.Schema).Transform(split.TestSet);
        var actual = OnnxScoring.Run(onnx, split.TestSet);
        AssertClose(expected.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), actual["Score.output"], "Score");
        if (mapKeyToValue)
        {
            var labels = expected.GetColumn<string>("PredictedLabel").ToArray();
            Assert.Equal(labels, (string[])actual["PredictedLabel.output"]);
            Assert.Contains("setosa", labels);
        }
        else
            Assert.Equal(expected.GetColumn<uint>("PredictedLabel").ToArray(), (uint[])actual["PredictedLabel.output"]);
    }

    [Fact]
    public void RegressionPipelineAgreesWithModelZipInLabelUnits()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.Concrete(ml), testFraction: 0.25, seed: 1);
        var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 5, Seed = 1 }))
            .Fit(split.TrainSet);

        var onnx = Convert(ml, model, split.TrainSet);
        var expected = SavedAndLoaded(ml, model, split.TrainSet.Schema).Transform(split.TestSet).GetColumn<float>("Score").ToArray();
        AssertClose(expected, OnnxScoring.Run(onnx, split.TestSet)["Score.output"], "Score");
        Assert.Contains(expected, s => s > 5); // label units (MPa), not the standardized target
    }

    [Fact]
    public void AFeaturizerStepWithoutAnOnnxFormIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = Adult(ml);
        var model = ml.Transforms.CustomMapping<AgeRow, AgeSquaredRow>((i, o) => o.age_squared = i.age * i.age, contractName: null)
            .Append(ml.Transforms.Concatenate("Features", "age", "age_squared", "education_num"))
            .Append(ml.Transforms.CopyColumns("Label", "label"))
            .Append(ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 1, Seed = 1 }))
            .Fit(ml.Data.TakeRows(data, 500));

        var e = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertTorchPipelineToOnnx(model, data, new MemoryStream()));
        Assert.StartsWith("Step 1 of 4 (CustomMappingTransformer", e.Message);
        Assert.Contains("before the Torch model, has no ONNX form", e.Message);
        Assert.Contains("'age_squared'", e.Message);
    }

    [Fact]
    public void AStepAfterTheTorchModelOtherThanMapKeyToValueIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var model = ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 1, Seed = 1 })
            .Append(ml.Transforms.CopyColumns("ScoreCopy", "Score"))
            .Fit(data);

        var e = Assert.Throws<NotSupportedException>(() => ml.Model.ConvertTorchPipelineToOnnx(model, data, new MemoryStream()));
        Assert.StartsWith("Step 2 of 2 (ColumnCopyingTransformer, writing 'ScoreCopy') comes after the Torch model", e.Message);
    }

    [Fact]
    public void AModelWithoutATorchModelIsRefused()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.BreastCancer(ml);
        var model = ml.Transforms.NormalizeMinMax("Features").Fit(data);
        var e = Assert.Throws<ArgumentException>(() => ml.Model.ConvertTorchPipelineToOnnx(model, data, new MemoryStream()));
        Assert.Contains("ConvertToOnnx", e.Message);
    }

    public sealed class AgeRow
    {
        public float age { get; set; }
    }

    public sealed class AgeSquaredRow
    {
        public float age_squared { get; set; }
    }
}
