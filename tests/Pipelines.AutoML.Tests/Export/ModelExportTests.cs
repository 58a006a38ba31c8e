using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Export;
using Pipelines.AutoML.Inference;
using Pipelines.AutoML.Tests.Inference;
using Pipelines.Testing;
using Pipelines.Torch;
using Pipelines.Torch.Data;
using Pipelines.Torch.Trainers;

namespace Pipelines.AutoML.Tests.Export;

/// <summary>What the CLI writes for applications: class names as predictions, and ONNX for ML.NET and Torch models.</summary>
public sealed class ModelExportTests
{
    static (MLContext Ml, ColumnInferenceResult Columns, IDataView Data) Load(string file, string label)
    {
        var ml = new MLContext(seed: 1);
        var columns = ColumnInference.InferColumns(TestData.Path(file), label);
        return (ml, columns, columns.LoadData(ml));
    }

    [Fact]
    public void MulticlassPredictionsAreTheFilesClassNames()
    {
        var (ml, columns, data) = Load("iris.csv", "species");
        var model = Featurizer.Build(ml, columns).Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()).Fit(data);
        var forApps = ModelExport.ForPrediction(ml, model, data, PredictionKind.MulticlassClassification);
        var predicted = forApps.Transform(data).GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(v => v.ToString()).Distinct().Order();
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, predicted);
    }

    [Fact]
    public void ABooleanLabelStaysABool()
    {
        var (ml, columns, data) = Load("breast-cancer.csv", "label");
        Assert.Null(BinaryClassNames.From(columns));
        var model = Featurizer.Build(ml, columns).Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(data);
        Assert.Same(model, ModelExport.ForPrediction(ml, model, data, PredictionKind.BinaryClassification, BinaryClassNames.From(columns)));
    }

    /// <summary>breast-cancer.csv with its label written as the file's classes: "malignant" (true) and "benign".</summary>
    static string WriteTextLabels(DataFiles files) =>
        files.Write("cancer-text.csv", File.ReadLines(TestData.Path("breast-cancer.csv")).Select((line, i) =>
            i == 0 ? line : line[..line.LastIndexOf(',')] + (line.EndsWith(",true") ? ",malignant" : ",benign")));

    [Fact]
    public void BinaryTextLabelPredictionsAreTheClassNamesAndProbabilityIsThePositiveClasses()
    {
        using var files = new DataFiles();
        var ml = new MLContext(seed: 1);
        var columns = ColumnInference.InferColumns(WriteTextLabels(files), "label");
        var data = columns.LoadData(ml);
        var names = BinaryClassNames.From(columns)!;
        Assert.Equal(("benign", "malignant"), (names.Negative, names.Positive)); // malignant is the rarer class

        var model = Featurizer.Build(ml, columns).Append(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 10)).Fit(data);
        var forApps = ModelExport.ForPrediction(ml, model, data, PredictionKind.BinaryClassification, names);
        var before = model.Transform(data);
        var after = SavedAndLoaded(ml, forApps, data).Transform(data);
        var predicted = after.GetColumn<string>("PredictedLabel").ToArray();
        Assert.Equal(before.GetColumn<bool>("PredictedLabel").Select(p => p ? "malignant" : "benign"), predicted);
        Assert.Equal(before.GetColumn<float>("Probability"), after.GetColumn<float>("Probability"));
        Assert.Equal(before.GetColumn<float>("Score"), after.GetColumn<float>("Score"));
        Assert.Equal(new[] { "benign", "malignant" }, predicted.Distinct().Order());

        // The ML.NET model's ONNX gives the class names too.
        var onnx = ModelExport.ToOnnx(ml, forApps, data);
        Assert.True(onnx.Succeeded, onnx.Failure);
        Assert.Equal(predicted, (string[])OnnxScoring.Run(onnx.Model!, data)["PredictedLabel.output"]);
    }

    [Fact]
    public void ATorchModelsWholePipelineOnnxGivesTheBinaryClassNames()
    {
        using var files = new DataFiles();
        var ml = new MLContext(seed: 1);
        var columns = ColumnInference.InferColumns(WriteTextLabels(files), "label");
        var data = columns.LoadData(ml);
        var model = Featurizer.Build(ml, columns)
            .Append(ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 5, Seed = 1 })).Fit(data);
        var forApps = ModelExport.ForPrediction(ml, model, data, PredictionKind.BinaryClassification, BinaryClassNames.From(columns));
        var onnx = ModelExport.ToOnnx(ml, forApps, data);
        Assert.StartsWith("the whole pipeline", onnx.Description);
        OnnxChecker.AssertValid(onnx.Model!);

        var expected = SavedAndLoaded(ml, forApps, data).Transform(data);
        var actual = OnnxScoring.Run(onnx.Model!, data);
        var predicted = expected.GetColumn<string>("PredictedLabel").ToArray();
        Assert.Equal(new[] { "benign", "malignant" }, predicted.Distinct().Order());
        Assert.Equal(predicted, (string[])actual["PredictedLabel.output"]);
        AssertClose(expected.GetColumn<float>("Probability").ToArray(), (float[])actual["Probability.output"]);
    }

    [Fact]
    public void AnMLNetPipelineConvertsWholeWithTheFilesColumnsAsInputs()
    {
        var (ml, columns, data) = Load("breast-cancer.csv", "label");
        var model = Featurizer.Build(ml, columns).Append(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 5)).Fit(data);
        var onnx = ModelExport.ToOnnx(ml, model, data);
        Assert.True(onnx.Succeeded, onnx.Failure);
        var inputs = Onnx.ModelProto.Parser.ParseFrom(onnx.Model).Graph.Input.Select(i => i.Name).ToList();
        Assert.Contains("mean_radius", inputs);
        Assert.Contains("whole ML.NET pipeline", onnx.Description);
    }

    [Fact]
    public void ATorchPipelineConvertsWholeAndAgreesWithModelZipOnValidationRows()
    {
        var (ml, columns, data) = Load("adult.csv", "label");
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var model = Featurizer.Build(ml, columns)
            .Append(ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 2, Seed = 1 })).Fit(split.TrainSet);
        var onnx = ModelExport.ToOnnx(ml, model, split.TrainSet);
        Assert.True(onnx.Succeeded, onnx.Failure);
        Assert.Contains("whole pipeline", onnx.Description);
        OnnxChecker.AssertValid(onnx.Model!);
        // The file's feature columns by their names: numbers and the categorical strings, not the label.
        var inputs = Onnx.ModelProto.Parser.ParseFrom(onnx.Model).Graph.Input.Select(i => i.Name).ToList();
        Assert.Equal(columns.FeatureColumns.Select(c => c.Name), inputs);

        var expected = SavedAndLoaded(ml, model, split.TrainSet).Transform(split.TestSet);
        var actual = OnnxScoring.Run(onnx.Model!, split.TestSet);
        AssertClose(expected.GetColumn<float>("Probability").ToArray(), (float[])actual["Probability.output"]);
        Assert.Equal(expected.GetColumn<bool>("PredictedLabel").ToArray(), (bool[])actual["PredictedLabel.output"]);
    }

    [Fact]
    public void AMulticlassTorchPipelineGivesTheClassNamesAsModelZipDoes()
    {
        var (ml, columns, data) = Load("iris.csv", "species");
        var model = Featurizer.Build(ml, columns)
            .Append(ml.MulticlassClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 10, Seed = 1 })).Fit(data);
        var forApps = ModelExport.ForPrediction(ml, model, data, PredictionKind.MulticlassClassification);
        var onnx = ModelExport.ToOnnx(ml, forApps, data);
        Assert.True(onnx.Succeeded, onnx.Failure);

        var expected = SavedAndLoaded(ml, forApps, data).Transform(data);
        var actual = OnnxScoring.Run(onnx.Model!, data);
        Assert.Equal(expected.GetColumn<string>("PredictedLabel").ToArray(), (string[])actual["PredictedLabel.output"]);
        AssertClose(expected.GetColumn<float[]>("Score").SelectMany(s => s).ToArray(), (float[])actual["Score.output"]);
    }

    [Fact]
    public void HashedBooleanAndMissingIndicatorColumnsConvertWhole()
    {
        using var files = new DataFiles();
        var (ml, data, model) = TrainMixed(files, withText: false);
        var onnx = ModelExport.ToOnnx(ml, model, data);
        Assert.StartsWith("the whole pipeline", onnx.Description);
        OnnxChecker.AssertValid(onnx.Model!);
        var expected = SavedAndLoaded(ml, model, data).Transform(data);
        AssertClose(expected.GetColumn<float>("Probability").ToArray(), (float[])OnnxScoring.Run(onnx.Model!, data)["Probability.output"]);
    }

    [Fact]
    public void AFeaturizerStepMLNetCannotConvertIsNamedAndTheNetworkIsWrittenAlone()
    {
        using var files = new DataFiles();
        var (ml, data, model) = TrainMixed(files, withText: true);
        var onnx = ModelExport.ToOnnx(ml, model, data);
        // ML.NET 6's converter fails on FeaturizeText's normalizer ("The given key 'note_TextNormalizer' was not present").
        Assert.StartsWith("the Torch network alone: input 'Features'", onnx.Description);
        Assert.Contains("The whole pipeline does not convert: Step 2 of 8 (TextFeaturizingEstimator.Transformer, writing 'note'), before the Torch model, has no ONNX form", onnx.Description);
        Assert.Equal(((TorchMlpModel)((IEnumerable<ITransformer>)model).Last()).OnnxModel.ToArray(), onnx.Model);
    }

    [Fact]
    public void AnImageModelGivesItsConvolutionalNetwork()
    {
        var ml = new MLContext(seed: 1);
        var data = ImageFolder.Load(ml, TestData.Path("fashion-mnist-png")).Data;
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.TorchImageClassifier(new TorchImageClassifierTrainer.Options { Epochs = 1, Width = 8, Depth = 1, Seed = 1 }))
            .Fit(data);
        var onnx = ModelExport.ToOnnx(ml, model, data);
        Assert.True(onnx.Succeeded, onnx.Failure);
        Assert.Equal(((TorchImageClassifierModel)model.LastTransformer).OnnxModel.ToArray(), onnx.Model);
        Assert.Contains("the pixels", onnx.Description);
    }

    [Fact]
    public void AModelWithoutAnOnnxFormIsReportedNotThrown()
    {
        var (ml, _, data) = Load("iris.csv", "species");
        // A custom mapping has no ONNX form.
        var model = ml.Transforms.CustomMapping<SpeciesRow, LengthRow>((i, o) => o.Length = i.species.Length, contractName: null).Fit(data);
        var onnx = ModelExport.ToOnnx(ml, model, data);
        Assert.False(onnx.Succeeded);
        Assert.Null(onnx.Model);
        Assert.StartsWith("ML.NET's ONNX converter cannot convert this model", onnx.Failure);
    }

    static ITransformer SavedAndLoaded(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        return new MLContext().Model.Load(stream, out _);
    }

    static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"row {i}: model.zip {expected[i]}, ONNX {actual[i]}");
    }

    /// <summary>
    /// 80 rows of a price with gaps, a yes/no flag, optionally a sentence, a 40-value code (hashed), an M/B label, and
    /// a Torch MLP on Featurizer's columns with missing-value indicators.
    /// </summary>
    static (MLContext Ml, IDataView Data, ITransformer Model) TrainMixed(DataFiles files, bool withText)
    {
        string[] words = { "quick", "brown", "fox", "lazy", "dog", "jumps", "over", "the" };
        var lines = new List<string> { withText ? "price,member,note,code,diagnosis" : "price,member,code,diagnosis" };
        for (int i = 0; i < 80; i++)
        {
            var price = i % 10 == 3 ? "?" : (10 + i % 17).ToString();
            var note = withText ? $"{words[i % 8]} {words[(i * 3) % 8]} {words[(i * 5 + 1) % 8]} note {i}," : "";
            lines.Add($"{price},{(i % 2 == 0 ? "yes" : "no")},{note}C{i % 40},{(i % 3 == 0 ? "M" : "B")}");
        }
        var ml = new MLContext(seed: 1);
        var columns = ColumnInference.InferColumns(files.Write("mixed.csv", lines), "diagnosis");
        var data = columns.LoadData(ml);
        var options = new FeaturizerOptions { AddMissingIndicators = true, MaxOneHotCategories = 10, HashBits = 4 };
        var model = Featurizer.Build(ml, columns, options)
            .Append(ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 2, Seed = 1 })).Fit(data);
        return (ml, data, model);
    }

    sealed class SpeciesRow
    {
        public string species { get; set; } = "";
    }

    sealed class LengthRow
    {
        public float Length { get; set; }
    }
}
