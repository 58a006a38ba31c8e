using Microsoft.ML;
using System.Diagnostics;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Torch.Tests;

[CollectionDefinition(nameof(GarbageCollectionTests), DisableParallelization = true)]
public class GarbageCollectionCollection;

/// <summary>
/// Training while another thread collects garbage all the time. With TorchSharp's own optimizers and batch norm, whose
/// temporary scalars nothing keeps alive during the native call, this failed within seconds ("Expected false to be
/// true ... toFloat" from LibTorch reading a freed scalar). It runs alone: its collector slows every other test.
/// </summary>
[Collection(nameof(GarbageCollectionTests))]
public class GarbageCollectionTests
{
    [Fact]
    public void TrainingSurvivesACollectorRunningBesideIt()
    {
        var ml = new MLContext(seed: 1);
        var tabular = ml.Data.Cache(TestData.BreastCancer(ml));
        var digits = ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(TestData.Digits(ml)).Transform(TestData.Digits(ml)));
        bool stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                for (int i = 0; i < 1000; i++) _ = new byte[100];
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        var clock = Stopwatch.StartNew();
        int rounds = 0;
        try
        {
            while (clock.Elapsed.TotalSeconds < 8 || rounds == 0)
            {
                foreach (var kind in Enum.GetValues<OptimizerKind>())
                {
                    var mlp = ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options
                    {
                        Optimizer = kind, Nesterov = kind == OptimizerKind.Sgd, Activation = Activation.LeakyReLU, Dropout = 0.2,
                        MeasureGradientNoiseScale = true, NoiseScaleTimeShare = 1, Epochs = 4, BatchSize = 16, WeightDecay = 1e-4,
                    }).Fit(tabular);
                    Assert.True(mlp.TrainingReport.Epochs.Count > 0);
                }
                ml.MulticlassClassification.Trainers.TorchImageClassifier(new TorchImageClassifierTrainer.Options
                {
                    Architecture = ImageArchitecture.ResNet, ImageChannels = 1, ImageHeight = 8, ImageWidth = 8, Width = 8, Depth = 1,
                    Epochs = 4, BatchSize = 16, RandomCropPadding = 1, HorizontalFlip = true,
                }).Fit(digits);
                rounds++;
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }
    }
}
