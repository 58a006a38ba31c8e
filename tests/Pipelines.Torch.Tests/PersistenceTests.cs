using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch.Trainers;

namespace Pipelines.Torch.Tests;

/// <summary>mlContext.Model.Save/Load round trips, PredictionEngine, the ONNX file, and Torch-vs-ONNX parity.</summary>
public class PersistenceTests
{
    public sealed class BreastCancerRow
    {
        [VectorType(30)] public float[] Features { get; set; } = Array.Empty<float>();
        public bool Label { get; set; }
    }

    public sealed class BinaryOutput
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    static (MLContext Ml, IDataView Train, IDataView Test) BreastCancerSplit()
    {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(TestData.BreastCancer(ml), testFraction: 0.25, seed: 1);
        return (ml, split.TrainSet, split.TestSet);
    }

    static string TempFile(string name) => Path.Combine(Path.GetTempPath(), $"pipelines-{Guid.NewGuid():N}-{name}");

    [Fact]
    public void BinarySaveLoadGivesSamePredictionsWithNoSideFiles()
    {
        var (ml, train, test) = BreastCancerSplit();
        var model = ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 10, Seed = 3 }).Fit(train);
        var dir = Directory.CreateDirectory(TempFile("model"));
        var path = Path.Combine(dir.FullName, "model.zip");
        ml.Model.Save(model, train.Schema, path);
        Assert.Single(dir.GetFiles()); // the zip alone: no ONNX or weight files beside it

        var loaded = new MLContext().Model.Load(path, out _);
        var before = ml.Data.CreateEnumerable<BinaryOutput>(model.Transform(test), reuseRowObject: false).ToList();
        var after = ml.Data.CreateEnumerable<BinaryOutput>(loaded.Transform(test), reuseRowObject: false).ToList();
        Assert.Equal(before.Count, after.Count);
        for (int i = 0; i < before.Count; i++)
        {
            Assert.InRange(Math.Abs(before[i].Probability - after[i].Probability), 0, 1e-4);
            Assert.Equal(before[i].PredictedLabel, after[i].PredictedLabel);
        }
        var metrics = ml.BinaryClassification.Evaluate(loaded.Transform(test));
        Assert.True(metrics.Accuracy > 0.9, $"loaded model accuracy {metrics.Accuracy}");
        dir.Delete(recursive: true);
    }

    [Fact]
    public void PredictionEngineWorksOnTheLoadedModel()
    {
        var (ml, train, test) = BreastCancerSplit();
        var model = ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 10, Seed = 3 }).Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out var inputSchema);
        Assert.Equal(30, ((VectorDataViewType)inputSchema["Features"].Type).Size);

        var rows = ml.Data.CreateEnumerable<BreastCancerRow>(test, reuseRowObject: false).Take(40).ToList();
        var engine = ml.Model.CreatePredictionEngine<BreastCancerRow, BinaryOutput>(loaded);
        var batch = ml.Data.CreateEnumerable<BinaryOutput>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).ToList();
        int correct = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var p = engine.Predict(rows[i]);
            Assert.InRange(Math.Abs(p.Probability - batch[i].Probability), 0, 1e-4);
            Assert.Equal(p.Score > 0, p.PredictedLabel);
            Assert.InRange(p.Probability, 0, 1);
            if (p.PredictedLabel == rows[i].Label) correct++;
        }
        Assert.True(correct >= 36, $"{correct}/40 correct");
    }

    [Fact]
    public void OnnxExportMatchesTheTorchNetwork()
    {
        var (ml, train, test) = BreastCancerSplit();
        var options = new TorchMlpTrainer.Options { Epochs = 5, Seed = 4, HiddenLayers = new[] { 16, 8 }, Activation = Networks.Activation.GELU };
        var model = ml.BinaryClassification.Trainers.TorchMlp(options).Fit(train);
        var rows = ml.Data.CreateEnumerable<BreastCancerRow>(test, reuseRowObject: false).ToList();
        var torchLogits = model.PredictWithTorch(rows.SelectMany(r => r.Features).ToArray());
        var onnx = ml.Data.CreateEnumerable<BinaryOutput>(model.Transform(test), reuseRowObject: false).ToList();
        for (int i = 0; i < rows.Count; i++)
            Assert.InRange(Math.Abs(torchLogits[i] - onnx[i].Score), 0, 1e-4 * Math.Max(1, Math.Abs(torchLogits[i])));

        var file = TempFile("model.onnx");
        model.SaveOnnx(file);
        var bytes = File.ReadAllBytes(file);
        Assert.Equal(model.OnnxModel.ToArray(), bytes);
        // The file alone scores in ONNX Runtime through ML.NET, as another runtime would use it.
        var standalone = ml.Transforms.ApplyOnnxModel(new[] { "PipelinesProbabilityVector" }, new[] { "Features" }, file).Fit(test).Transform(test);
        var probabilities = standalone.GetColumn<float[]>("PipelinesProbabilityVector").Select(v => v[0]).ToList();
        for (int i = 0; i < rows.Count; i++) Assert.InRange(Math.Abs(probabilities[i] - onnx[i].Probability), 0, 1e-6);
        File.Delete(file);
    }

    [Fact]
    public void MulticlassPredictedLabelMapsBackToTheOriginalClassAfterLoad()
    {
        var ml = new MLContext(seed: 1);
        var iris = TestData.Iris(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Species")
            .Append(ml.MulticlassClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 30, Seed = 2 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedSpecies", "PredictedLabel"));
        var model = pipeline.Fit(iris);
        using var stream = new MemoryStream();
        ml.Model.Save(model, iris.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);

        foreach (var m in new[] { (ITransformer)model, loaded })
        {
            var scored = m.Transform(iris);
            var truth = scored.GetColumn<string>("Species").ToList();
            var predicted = scored.GetColumn<string>("PredictedSpecies").ToList();
            Assert.Subset(new HashSet<string> { "setosa", "versicolor", "virginica" }, predicted.ToHashSet());
            double accuracy = truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Count;
            Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
            var scores = scored.GetColumn<float[]>("Score").ToList();
            Assert.All(scores, s => Assert.InRange(s.Sum(), 0.999f, 1.001f));
            var metrics = ml.MulticlassClassification.Evaluate(scored);
            Assert.True(metrics.MicroAccuracy > 0.9);
        }
        var a = model.Transform(iris).GetColumn<float[]>("Score").ToList();
        var b = loaded.Transform(iris).GetColumn<float[]>("Score").ToList();
        for (int i = 0; i < a.Count; i++)
            for (int k = 0; k < 3; k++) Assert.InRange(Math.Abs(a[i][k] - b[i][k]), 0, 1e-4);
    }

    [Fact]
    public void MulticlassWithNumericLabelValuesRoundTrips()
    {
        var ml = new MLContext(seed: 1);
        var digits = TestData.Digits(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(ml.MulticlassClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 3, Seed = 2 }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedDigit", "PredictedLabel"));
        var model = pipeline.Fit(digits);
        using var stream = new MemoryStream();
        ml.Model.Save(model, digits.Schema, stream);
        stream.Position = 0;
        var scored = new MLContext().Model.Load(stream, out _).Transform(digits);
        var truth = scored.GetColumn<float>("Digit").ToList();
        var predicted = scored.GetColumn<float>("PredictedDigit").ToList();
        Assert.True(predicted.All(p => p >= 0 && p <= 9 && p == Math.Floor(p)));
        Assert.True(truth.Zip(predicted).Count(p => p.First == p.Second) > 0.85 * truth.Count);
    }

    [Fact]
    public void RegressionSaveLoadParity()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.Concrete(ml);
        var model = ml.Regression.Trainers.TorchMlp(new TorchMlpTrainer.Options { Epochs = 5, Seed = 5 }).Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext().Model.Load(stream, out _);
        var a = model.Transform(data).GetColumn<float>("Score").ToList();
        var b = loaded.Transform(data).GetColumn<float>("Score").ToList();
        var features = data.GetColumn<float[]>("Features").SelectMany(f => f).ToArray();
        var torch = model.PredictWithTorch(features);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i], b[i]);
            Assert.InRange(Math.Abs(a[i] - torch[i]), 0, 1e-3 + 1e-5 * Math.Abs(torch[i]));
        }
        Assert.True(ml.Regression.Evaluate(loaded.Transform(data)).RSquared > 0.3);
    }
}
