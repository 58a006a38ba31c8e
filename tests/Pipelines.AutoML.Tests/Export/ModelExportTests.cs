using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.AutoML.Export;
using Pipelines.AutoML.Inference;
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
    public void BinaryModelsAreReturnedUnchanged()
    {
        var (ml, columns, data) = Load("breast-cancer.csv", "label");
        var model = Featurizer.Build(ml, columns).Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression()).Fit(data);
        Assert.Same(model, ModelExport.ForPrediction(ml, model, data, PredictionKind.BinaryClassification));
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
    public void ATorchModelGivesItsOwnNetworkWhichTakesTheFeaturesVector()
    {
        var (ml, columns, data) = Load("breast-cancer.csv", "label");
        var model = Featurizer.Build(ml, columns)
            .Append(ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 2, Seed = 1 })).Fit(data);
        var onnx = ModelExport.ToOnnx(ml, model, data);
        Assert.True(onnx.Succeeded, onnx.Failure);
        Assert.Equal(((TorchMlpModel)model.LastTransformer).OnnxModel.ToArray(), onnx.Model);
        Assert.Contains("'Features'", onnx.Description);
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

    sealed class SpeciesRow
    {
        public string species { get; set; } = "";
    }

    sealed class LengthRow
    {
        public float Length { get; set; }
    }
}
