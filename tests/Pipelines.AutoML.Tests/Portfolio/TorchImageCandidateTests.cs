using System.Text.Json.Nodes;
using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;
using Pipelines.Torch.Data;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Tests.Portfolio;

/// <summary>torch-cnn: its default space, how a sampled point becomes trainer options, and a real search on Fashion-MNIST images.</summary>
public class TorchImageCandidateTests
{
    [Fact]
    public void TheDefaultSpaceIsTheDocumentedOne()
    {
        var space = new TorchImageCandidate().DefaultSearchSpace(PredictionKind.MulticlassClassification, trainRows: 5000);
        var expected = JsonNode.Parse("""
            {
              "batch_size": { "type": "int", "min": 16, "max": 512, "log_base": true, "power_of_two": true, "default": 64 },
              "epochs": { "type": "int", "min": 2, "max": 30, "log_base": true, "default": 10 },
              "learning_rate": { "type": "double", "min": 0.0001, "max": 0.01, "log_base": true, "default": 0.001 },
              "weight_decay": { "type": "double", "min": 1E-06, "max": 0.01, "log_base": true, "default": 1E-05 },
              "width": { "type": "int", "min": 16, "max": 64, "log_base": true, "power_of_two": true, "default": 32 },
              "depth": { "type": "int", "min": 1, "max": 3, "log_base": false, "default": 2 },
              "architecture": { "choices": ["small_cnn", "resnet"], "default": "small_cnn" },
              "augmentation": { "choices": [false, true], "default": false }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(space.ToJson())), space.ToJson());
        // The JSON reads back as the same space, so a user can start a --search-space file from it.
        Assert.Equal(space.ToJson(), SearchSpace.FromJson(space.ToJson()).ToJson());
    }

    [Fact]
    public void BatchSizesAreCappedAtTheTrainingImages()
    {
        var batch = (NumericSpace)new TorchImageCandidate().DefaultSearchSpace(PredictionKind.MulticlassClassification, trainRows: 200)["batch_size"];
        Assert.Equal(128, batch.Max);
        Assert.Equal(64, batch.DefaultValue);
        var tiny = (NumericSpace)new TorchImageCandidate().DefaultSearchSpace(PredictionKind.MulticlassClassification, trainRows: 20)["batch_size"];
        Assert.Equal(16, tiny.Max);
        Assert.Equal(16, tiny.DefaultValue);
    }

    [Fact]
    public void ASampledPointBecomesTheTrainerOptions()
    {
        var candidate = new TorchImageCandidate { Device = "cpu", LearningRateScaling = LearningRateScaling.Linear, EarlyStoppingPatience = 3 };
        var ml = new MLContext(seed: 1);
        var validation = ml.Data.LoadFromEnumerable(Array.Empty<Row>());
        var context = new TrialFitContext
        {
            MLContext = ml, Task = PredictionKind.MulticlassClassification, Train = validation, Validation = validation, Seed = 7, Threads = 2,
        };
        var p = Parameter.FromJson("""
            { "batch_size": 128, "epochs": 12, "learning_rate": 0.003, "weight_decay": 0.0001, "width": 16, "depth": 3,
              "architecture": "resnet", "augmentation": true }
            """);
        var o = candidate.ToOptions(p, context);
        Assert.Equal((128, 12, 0.003, 0.0001), (o.BatchSize, o.Epochs, o.LearningRate, o.WeightDecay));
        Assert.Equal((ImageArchitecture.ResNet, 16, 3), (o.Architecture, o.Width, o.Depth));
        Assert.Equal((TorchImageCandidate.AugmentationCropPadding, true), (o.RandomCropPadding, o.HorizontalFlip));
        Assert.Equal((LearningRateScaling.Linear, 64, 3), (o.LearningRateScaling, o.ReferenceBatchSize, o.EarlyStoppingPatience));
        Assert.Equal(("cpu", 7, 2), (o.Device, o.Seed!.Value, o.NumberOfThreads!.Value));
        Assert.Same(validation, o.ValidationSet);
        Assert.Equal(0, o.ValidationFraction);

        var off = candidate.ToOptions(p.With("augmentation", Parameter.FromBool(false)).With("architecture", Parameter.FromString("small_cnn")), context);
        Assert.Equal((ImageArchitecture.SmallCnn, 0, false), (off.Architecture, off.RandomCropPadding, off.HorizontalFlip));

        // A narrowed space that leaves parameters out: the trainer's own defaults fill them.
        var defaults = candidate.ToOptions(Parameter.FromJson("""{ "learning_rate": 0.01 }"""), context);
        Assert.Equal((64, 10, 32, 2, 0.25), (defaults.BatchSize, defaults.Epochs, defaults.Width, defaults.Depth, defaults.Dropout));
        Assert.Equal(OptimizerKind.Adam, defaults.Optimizer);
        Assert.Equal(OptimizerKind.AdamW, candidate.ToOptions(Parameter.FromJson("""{ "optimizer": "adamw" }"""), context).Optimizer);
    }

    [Fact]
    public void OnlyMulticlassIsSupported()
    {
        var candidate = new TorchImageCandidate();
        Assert.True(candidate.Supports(PredictionKind.MulticlassClassification));
        Assert.False(candidate.Supports(PredictionKind.BinaryClassification));
        Assert.False(candidate.Supports(PredictionKind.Regression));
        Assert.True(candidate.TrainsInEpochs);
        Assert.Same(candidate.GetType(), TrainerPortfolio.Parse("torch-cnn")[0].GetType());
        Assert.DoesNotContain(TrainerPortfolio.Tabular, c => c.Name == "torch-cnn");
    }

    [Fact]
    public async Task ASearchOnFashionMnistImagesFindsAModelAndAshaPrunesOnEpochs()
    {
        var ml = new MLContext(seed: 1);
        var images = ImageFolder.Load(ml, TestData.Path("fashion-mnist-png"));
        var split = ml.Data.TrainTestSplit(images.Data, testFraction: 0.2, seed: 1);
        // Learning rates from hopeless to good, so that ASHA has losers to stop at its rungs (epochs 1 and 3); small
        // networks and batches keep six trials on 512 images near 15 s on two cores.
        var space = new TorchImageCandidate().DefaultSearchSpace(PredictionKind.MulticlassClassification, 640)
            .With("batch_size", new NumericSpace(NumericType.Int, 16, 64, powerOfTwo: true))
            .With("epochs", new NumericSpace(NumericType.Int, 4, 4))
            .With("learning_rate", new NumericSpace(NumericType.Double, 1e-5, 1e-2, logBase: true))
            .With("width", new NumericSpace(NumericType.Int, 16, 16))
            .With("depth", new NumericSpace(NumericType.Int, 2, 2));
        var result = await new AutoMLExperiment(ml)
            .SetDataset(split.TrainSet, validationFraction: 0.2)
            .SetMulticlassClassificationMetric()
            .SetFeaturizer(ml.Transforms.Conversion.MapValueToKey("Label"))
            .SetTrainers(new TorchImageCandidate())
            .SetSearchSpace("torch-cnn", space)
            .SetTuner((s, seed) => new RandomTuner(s, seed))
            .SetPruner(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3))
            .SetMaxTrials(6)
            .SetSeed(4)
            .RunAsync();
        var summary = string.Join(Environment.NewLine, result.Trials.Select(t =>
            $"trial {t.Id} {t.Status} {t.ValidationMetric:F3} epochs {t.IntermediateValues.Count} {t.Parameters["parameters"]}"));

        var pruned = result.Trials.Where(t => t.Status == TrialStatus.Pruned).ToList();
        Assert.True(pruned.Count > 0, summary);
        Assert.All(pruned, t => Assert.InRange(t.IntermediateValues.Count, 1, 3));
        Assert.Equal(4, result.Best.TrainingReport!.Epochs.Count);

        // The returned model takes the loader's columns (featurizer inside) and classifies unseen images.
        var metrics = ml.MulticlassClassification.Evaluate(result.Best.Model.Transform(split.TestSet));
        Assert.True(metrics.MicroAccuracy > 0.5, $"held-out accuracy {metrics.MicroAccuracy:F3}{Environment.NewLine}{summary}");
    }

    sealed class Row
    {
        [Microsoft.ML.Data.VectorType(1, 4, 4)] public float[] Features { get; set; } = new float[16];
        public uint Label { get; set; }
    }
}
