using Microsoft.ML;
using Microsoft.ML.Data;
using Pipelines.Torch.Data;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Torch.Tests;

/// <summary>
/// The CNN image classifier on real images: the Fashion-MNIST PNG folder (through our loader and through ML.NET's own
/// image transforms) and scikit-learn's 8x8 digits (a flat 64-pixel vector with a declared shape): both
/// architectures, save/load and ONNX parity, determinism, augmentation and bad input.
/// </summary>
public class ImageClassifierTests
{
    public sealed class DigitRow
    {
        [VectorType(64)] public float[] Features { get; set; } = Array.Empty<float>();
        public float Digit { get; set; }
    }

    public sealed class MulticlassOutput
    {
        public float[] Score { get; set; } = Array.Empty<float>();
        public uint PredictedLabel { get; set; }
    }

    static (MLContext Ml, IDataView Train, IDataView Test) Digits()
    {
        var ml = new MLContext(seed: 1);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(TestData.Digits(ml)).Transform(TestData.Digits(ml));
        var split = ml.Data.TrainTestSplit(keyed, testFraction: 0.25, seed: 1);
        return (ml, split.TrainSet, split.TestSet);
    }

    static TorchImageClassifierTrainer.Options DigitOptions(ImageArchitecture architecture = ImageArchitecture.SmallCnn) => new()
    {
        Architecture = architecture,
        ImageChannels = 1, ImageHeight = 8, ImageWidth = 8,
        Width = 16, Depth = 2, Epochs = 8, BatchSize = 32, Seed = 5,
    };

    [Theory]
    [InlineData(ImageArchitecture.SmallCnn)]
    [InlineData(ImageArchitecture.ResNet)]
    public void LearnsDigitsWellOnHeldOutImages(ImageArchitecture architecture)
    {
        var (ml, train, test) = Digits();
        var model = ml.MulticlassClassification.Trainers.TorchImageClassifier(DigitOptions(architecture)).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.True(metrics.MicroAccuracy > 0.93, $"{architecture} test accuracy {metrics.MicroAccuracy:F3}");

        var report = model.TrainingReport;
        Assert.Equal(8, report.Epochs.Count);
        Assert.All(report.Epochs, e => Assert.Equal(e.TrainMetric - e.ValidationMetric!.Value, e.GeneralizationGap!.Value, 12));
        Assert.Equal(new ImageShape(1, 8, 8), model.ImageShape);
    }

    [Fact]
    public void LearnsFashionMnistFromThePngFolder()
    {
        var ml = new MLContext(seed: 1);
        var images = ImageFolder.Load(ml, TestData.Path("fashion-mnist-png"));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(images.Data).Transform(images.Data);
        var split = ml.Data.TrainTestSplit(keyed, testFraction: 0.2, seed: 2);
        var trainer = ml.MulticlassClassification.Trainers.TorchImageClassifier(new TorchImageClassifierTrainer.Options
        {
            Width = 16, Epochs = 8, BatchSize = 32, Seed = 1, RandomCropPadding = 2, HorizontalFlip = true,
        });
        var model = trainer.Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        // 800 training images of 10 classes: chance is 0.10; this run measured 0.81. The full 60,000 give about 0.91.
        Assert.True(metrics.MicroAccuracy > 0.70, $"test accuracy {metrics.MicroAccuracy:F3}");
        Assert.Equal(new ImageShape(1, 28, 28), model.ImageShape);
    }

    [Fact]
    public void TrainsOnPixelsFromMLNetsOwnImageTransforms()
    {
        // LoadImages -> ResizeImages -> ExtractPixels, as an ML.NET user builds it: ExtractPixels gives a planar
        // [channels, height, width] vector of 0-255 values, which the trainer takes with no declared shape.
        var ml = new MLContext(seed: 1);
        var folder = TestData.Path("fashion-mnist-png");
        var files = Directory.GetDirectories(folder).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d, "*.png").Order(StringComparer.Ordinal).Take(30)
                .Select(f => new ImageFile { ImagePath = f, Class = Path.GetFileName(d) }))
            .ToList();
        var data = ml.Data.LoadFromEnumerable(files);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Append(ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", imageWidth: 16, imageHeight: 16))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", colorsToExtract: Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits.Red))
            .Append(ml.MulticlassClassification.Trainers.TorchImageClassifier(new TorchImageClassifierTrainer.Options
            {
                Width = 16, Epochs = 6, BatchSize = 16, Seed = 1, ValidationFraction = 0,
            }));
        var model = pipeline.Fit(data);
        var cnn = (TorchImageClassifierModel)model.LastTransformer;
        Assert.Equal(new ImageShape(1, 16, 16), cnn.ImageShape);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
        // 300 images, 6 epochs: this run measured 0.88 on its training images.
        Assert.True(metrics.MicroAccuracy > 0.6, $"training accuracy {metrics.MicroAccuracy:F3}");

        // The whole chain, image loading included, saves and loads.
        var path = Path.Combine(Path.GetTempPath(), $"pipelines-{Guid.NewGuid():N}-images.zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        File.Delete(path);
        var before = model.Transform(data).GetColumn<uint>("PredictedLabel").ToArray();
        var after = loaded.Transform(data).GetColumn<uint>("PredictedLabel").ToArray();
        Assert.Equal(before, after);
    }

    public sealed class ImageFile
    {
        public string ImagePath { get; set; } = "";
        public string Class { get; set; } = "";
    }

    [Theory]
    [InlineData(ImageArchitecture.SmallCnn)]
    [InlineData(ImageArchitecture.ResNet)]
    public void OnnxScoresMatchTheTorchNetworkAndSurviveSaveAndLoad(ImageArchitecture architecture)
    {
        var (ml, train, test) = Digits();
        var options = DigitOptions(architecture);
        options.Epochs = 2;
        var model = ml.MulticlassClassification.Trainers.TorchImageClassifier(options).Fit(train);

        var rows = ml.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).Take(50).ToList();
        var logits = model.PredictWithTorch(rows.SelectMany(r => r.Features).ToArray());
        var scored = ml.Data.CreateEnumerable<MulticlassOutput>(model.Transform(ml.Data.TakeRows(test, 50)), reuseRowObject: false).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            var softmax = Softmax(logits.AsSpan(i * 10, 10));
            for (int k = 0; k < 10; k++) Assert.InRange(Math.Abs(softmax[k] - scored[i].Score[k]), 0, 1e-4);
        }

        var path = Path.Combine(Path.GetTempPath(), $"pipelines-{Guid.NewGuid():N}-cnn.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        File.Delete(path);
        var reloaded = ml.Data.CreateEnumerable<MulticlassOutput>(loaded.Transform(ml.Data.TakeRows(test, 50)), reuseRowObject: false).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(scored[i].PredictedLabel, reloaded[i].PredictedLabel);
            for (int k = 0; k < 10; k++) Assert.InRange(Math.Abs(scored[i].Score[k] - reloaded[i].Score[k]), 0, 1e-4);
        }

        var engine = ml.Model.CreatePredictionEngine<DigitRow, MulticlassOutput>(loaded);
        var one = engine.Predict(rows[0]);
        Assert.Equal(scored[0].PredictedLabel, one.PredictedLabel);
    }

    [Fact]
    public void SameSeedGivesTheSameHistoryWithAugmentationAndDropout()
    {
        var (ml, train, _) = Digits();
        TrainingReport Run(int seed)
        {
            var o = DigitOptions();
            o.Epochs = 2; o.Seed = seed; o.RandomCropPadding = 1; o.HorizontalFlip = true; o.Dropout = 0.3; o.NumberOfThreads = 1;
            return ml.MulticlassClassification.Trainers.TorchImageClassifier(o).Fit(train).TrainingReport;
        }
        var a = Run(3);
        var b = Run(3);
        Assert.Equal(a.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)), b.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss)));
        Assert.NotEqual(a.Epochs[^1].TrainLoss, Run(4).Epochs[^1].TrainLoss);
    }

    [Fact]
    public void AugmentationFlipsAndShiftsEachImageWithoutChangingItsShape()
    {
        var shape = new ImageShape(1, 3, 4);
        var identity = Standardization.Identity(shape.Size);
        var image = Enumerable.Range(1, 12).Select(v => (float)v).ToArray(); // rows 1 2 3 4 / 5 6 7 8 / 9 10 11 12
        using var batch = TorchSharp.torch.tensor(Enumerable.Repeat(image, 64).SelectMany(r => r).ToArray(), new long[] { 64, 12 });

        var flips = new ImageAugmentation(shape, 0, true, identity, new TorchSharp.torch.Generator(1)).Apply(batch);
        var flipped = new float[] { 4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9 };
        var seen = Rows(flips);
        Assert.All(seen, r => Assert.True(r.SequenceEqual(image) || r.SequenceEqual(flipped)));
        Assert.Contains(seen, r => r.SequenceEqual(flipped));
        Assert.Contains(seen, r => r.SequenceEqual(image));

        var crops = Rows(new ImageAugmentation(shape, 1, false, identity, new TorchSharp.torch.Generator(1)).Apply(batch));
        // Every crop is the image shifted by at most one pixel with zeros (black) shifted in.
        var shifts = new HashSet<(int, int)>();
        foreach (var crop in crops)
        {
            var match = Enumerable.Range(-1, 3).SelectMany(dy => Enumerable.Range(-1, 3).Select(dx => (dy, dx)))
                .Where(s => crop.SequenceEqual(Shift(image, 3, 4, s.dy, s.dx))).ToList();
            Assert.Single(match);
            shifts.Add(match[0]);
        }
        Assert.True(shifts.Count >= 5, $"only {shifts.Count} distinct offsets in 64 crops");
    }

    [Fact]
    public void AFlatVectorWithoutAnImageShapeIsRejectedWithWhatToDeclare()
    {
        var (ml, train, _) = Digits();
        var o = DigitOptions();
        o.ImageChannels = o.ImageHeight = o.ImageWidth = null;
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TorchImageClassifier(o).Fit(train));
        Assert.Contains("'Features'", e.Message);
        Assert.Contains("64 values", e.Message);
        Assert.Contains("ImageHeight", e.Message);

        o.ImageChannels = 3; o.ImageHeight = 8; o.ImageWidth = 8;
        e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TorchImageClassifier(o).Fit(train));
        Assert.Contains("3 x 8 x 8", e.Message);
        Assert.Contains("needs 192", e.Message);
    }

    [Fact]
    public void InterleavedPixelsAreRejectedWithTheFix()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 4).Select(i => new { Features = new float[2 * 2 * 3], Label = (uint)(i % 2 + 1) });
        var schema = SchemaDefinition.Create(typeof(InterleavedRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2, 2, 3);
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), 2);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new InterleavedRow { Features = r.Features, Label = r.Label }), schema);
        var e = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.TorchImageClassifier().Fit(data));
        Assert.Contains("interleave", e.Message);
    }

    public sealed class InterleavedRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public uint Label { get; set; }
    }

    [Fact]
    public void InvalidOptionsNameTheOption()
    {
        var ml = new MLContext();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.TorchImageClassifier(new TorchImageClassifierTrainer.Options { Width = 0 }));
        Assert.Contains("Width", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.TorchImageClassifier(new TorchImageClassifierTrainer.Options { RandomCropPadding = -1 }));
        Assert.Contains("RandomCropPadding", e.Message);
    }

    static List<float[]> Rows(TorchSharp.torch.Tensor t)
    {
        var values = t.contiguous().data<float>().ToArray();
        int width = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(i => values.AsSpan(i * width, width).ToArray()).ToList();
    }

    static float[] Shift(float[] image, int height, int width, int dy, int dx)
    {
        var result = new float[image.Length];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
            {
                int sr = r + dy, sc = c + dx;
                result[r * width + c] = sr >= 0 && sr < height && sc >= 0 && sc < width ? image[sr * width + sc] : 0;
            }
        return result;
    }

    static float[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = float.MinValue;
        foreach (var v in logits) max = Math.Max(max, v);
        var e = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += e[i] = Math.Exp(logits[i] - max);
        return e.Select(v => (float)(v / sum)).ToArray();
    }
}
