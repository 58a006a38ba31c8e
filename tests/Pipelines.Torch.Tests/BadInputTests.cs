using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch.Trainers;

namespace Pipelines.Torch.Tests;

/// <summary>Clear errors that name the column, the row, the value and what was expected.</summary>
public class BadInputTests
{
    public sealed class Row
    {
        [VectorType(3)] public float[] Features { get; set; } = new float[3];
        public bool Label { get; set; }
    }

    public sealed class RegressionRow
    {
        [VectorType(3)] public float[] Features { get; set; } = new float[3];
        public float Label { get; set; }
    }

    public sealed class TextLabelRow
    {
        [VectorType(3)] public float[] Features { get; set; } = new float[3];
        public string Label { get; set; } = "";
    }

    public sealed class VariableRow
    {
        public float[] Features { get; set; } = new float[3];
        public bool Label { get; set; }
    }

    public sealed class DoubleFeatureRow
    {
        [VectorType(3)] public double[] Features { get; set; } = new double[3];
        public bool Label { get; set; }
    }

    static readonly MLContext Ml = new(seed: 1);
    static TorchMlpTrainer.Options Quick() => new() { Epochs = 1, Seed = 1, ValidationFraction = 0 };

    static IDataView Rows(int n, Func<int, Row>? make = null) =>
        Ml.Data.LoadFromEnumerable(Enumerable.Range(0, n).Select(make ?? (i => new Row { Features = new[] { i, i * 0.5f, 1f }, Label = i % 2 == 0 })).ToList());

    static T Fails<T>(Func<object> action) where T : Exception => Assert.Throws<T>(() => { action(); });

    [Fact]
    public void MissingFeatureColumnListsTheSchema()
    {
        var e = Fails<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options { FeatureColumnName = "Pixels" }).Fit(Rows(10)));
        Assert.Contains("'Pixels'", e.Message);
        Assert.Contains("'Features'", e.Message);
        Assert.Contains("'Label'", e.Message);
    }

    [Fact]
    public void MissingLabelColumnListsTheSchema()
    {
        var e = Fails<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchMlp(labelColumnName: "Target").Fit(Rows(10)));
        Assert.Contains("label column 'Target' is not in the data", e.Message);
        Assert.Contains("'Features' (Vector<Single, 3>)", e.Message);
    }

    [Fact]
    public void WronglyTypedLabelsAreRejectedPerTask()
    {
        var text = Ml.Data.LoadFromEnumerable(new[] { new TextLabelRow { Label = "a" }, new TextLabelRow { Label = "b" } });
        Assert.Contains("expects Boolean", Fails<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchMlp(Quick()).Fit(text)).Message);
        Assert.Contains("MapValueToKey", Fails<ArgumentException>(() => Ml.MulticlassClassification.Trainers.TorchMlp(Quick()).Fit(text)).Message);
        Assert.Contains("regression expects Single", Fails<ArgumentException>(() => Ml.Regression.Trainers.TorchMlp(Quick()).Fit(Rows(10))).Message);
    }

    [Fact]
    public void FeaturesMustBeAKnownSizeFloatVector()
    {
        var variable = Ml.Data.LoadFromEnumerable(new[] { new VariableRow(), new VariableRow { Label = true } });
        Assert.Contains("unknown size", Fails<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchMlp(Quick()).Fit(variable)).Message);
        var doubles = Ml.Data.LoadFromEnumerable(new[] { new DoubleFeatureRow(), new DoubleFeatureRow { Label = true } });
        var e = Fails<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchMlp(Quick()).Fit(doubles));
        Assert.Contains("Vector<Double, 3>", e.Message);
        Assert.Contains("expected a known-size vector of Single", e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteFeaturesNameColumnRowAndSlot(float bad)
    {
        var data = Rows(20, i => new Row { Features = new[] { i, i == 13 ? bad : 1f, 0f }, Label = i % 2 == 0 });
        var e = Fails<InvalidOperationException>(() => Ml.BinaryClassification.Trainers.TorchMlp(Quick()).Fit(data));
        Assert.Contains("column 'Features'", e.Message);
        Assert.Contains("row 13, slot 1", e.Message);
        Assert.Contains(bad.ToString(), e.Message);
    }

    [Fact]
    public void NaNRegressionLabelNamesTheRow()
    {
        var data = Ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new RegressionRow { Features = new[] { i, 0f, 1f }, Label = i == 4 ? float.NaN : i }).ToList());
        var e = Fails<InvalidOperationException>(() => Ml.Regression.Trainers.TorchMlp(Quick()).Fit(data));
        Assert.Contains("'Label' has NaN at row 4", e.Message);
    }

    [Fact]
    public void EmptyTrainingSetIsRejected()
    {
        var e = Fails<InvalidOperationException>(() => Ml.BinaryClassification.Trainers.TorchMlp(Quick()).Fit(Rows(0)));
        Assert.Contains("Training data has no rows", e.Message);
    }

    [Fact]
    public void SingleClassBinaryLabelIsRejected()
    {
        var e = Fails<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchMlp(Quick()).Fit(Rows(12, i => new Row { Features = new[] { i, 0f, 1f }, Label = true })));
        Assert.Contains("single class", e.Message);
        Assert.Contains("all 12 rows are true", e.Message);
    }

    [Theory]
    [InlineData(0, 10, 1e-3, "BatchSize")]
    [InlineData(-5, 10, 1e-3, "BatchSize")]
    [InlineData(32, 0, 1e-3, "Epochs")]
    [InlineData(32, 10, 0, "LearningRate")]
    [InlineData(32, 10, -1, "LearningRate")]
    [InlineData(32, 10, double.NaN, "LearningRate")]
    [InlineData(32, 10, double.PositiveInfinity, "LearningRate")]
    public void InvalidOptionsFailAtConstruction(int batchSize, int epochs, double learningRate, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Ml.BinaryClassification.Trainers.TorchMlp(batchSize: batchSize, epochs: epochs, learningRate: learningRate));
        Assert.Equal(name, e.ParamName);
        Assert.Contains($"{name} = ", e.Message);
    }

    [Fact]
    public void ValidationSetMustMatchTheTrainingFeatures()
    {
        var other = Ml.Transforms.Concatenate("Features", "Features", "Features").Fit(Rows(4)).Transform(Rows(4));
        var options = Quick();
        options.ValidationSet = other;
        var e = Fails<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchMlp(options).Fit(Rows(10)));
        Assert.Contains("Validation data", e.Message);
        Assert.Contains("has 6 slots; the training data has 3", e.Message);
    }

    [Fact]
    public void UnknownDeviceIsRejected()
    {
        var options = Quick();
        options.Device = "tpu";
        var e = Fails<ArgumentException>(() => Ml.BinaryClassification.Trainers.TorchMlp(options).Fit(Rows(10)));
        Assert.Contains("'tpu'", e.Message);
    }

    [Fact]
    public void CudaWithoutAGpuFailsClearlyOrFallsBackWhenAllowed()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // this check is about machines without CUDA
        var options = Quick();
        options.Device = "cuda";
        var e = Fails<InvalidOperationException>(() => Ml.BinaryClassification.Trainers.TorchMlp(options).Fit(Rows(10)));
        Assert.Contains("CUDA is not available", e.Message);

        var fallback = new MLContext(seed: 1) { FallbackToCpu = true, GpuDeviceId = 0 };
        var report = fallback.BinaryClassification.Trainers.TorchMlp(Quick()).Fit(Rows(10)).TrainingReport;
        Assert.Equal("cpu", report.Device.ToLowerInvariant());
    }

    // SchemaShape.Create is internal to ML.NET; estimator chains call it for users.
    static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!
            .Invoke(null, new object[] { schema })!;

    [Fact]
    public void GetOutputSchemaDescribesTheOutputsAndChecksTheInputs()
    {
        var binary = Ml.BinaryClassification.Trainers.TorchMlp(Quick());
        var shape = binary.GetOutputSchema(ShapeOf(Rows(1).Schema));
        Assert.Contains(shape, c => c.Name == "Score");
        Assert.Contains(shape, c => c.Name == "Probability");
        Assert.Contains(shape, c => c.Name == "PredictedLabel" && c.ItemType is BooleanDataViewType);
        var e = Assert.Throws<ArgumentException>(() => Ml.Regression.Trainers.TorchMlp(Quick()).GetOutputSchema(ShapeOf(Rows(1).Schema)));
        Assert.Contains("must be Single", e.Message);
    }
}
