using Microsoft.ML;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Torch.Tests;

/// <summary>The per-epoch report: the gap, steps per batch size, determinism, early stopping, divergence, JSON.</summary>
public class TrainingReportTests
{
    static IDataView BreastCancer(MLContext ml) => TestData.BreastCancer(ml);

    static TrainingReport Train(TorchMlpTrainer.Options options, MLContext? ml = null)
    {
        ml ??= new MLContext(seed: 1);
        return ml.BinaryClassification.Trainers.TorchMlp(options).Fit(BreastCancer(ml)).TrainingReport;
    }

    [Fact]
    public void GapIsTrainMetricMinusValidationMetricInEveryEpoch()
    {
        var progress = new List<EpochReport>();
        var report = Train(new TorchMlpTrainer.Options { Epochs = 6, Seed = 7, ValidationFraction = 0.2, Progress = new SyncProgress<EpochReport>(progress.Add) });
        Assert.Equal(6, report.Epochs.Count);
        Assert.Equal(report.Epochs, progress);
        Assert.Equal(113, report.ValidationRows); // floor(569 * 0.2)
        Assert.Equal(569 - 113, report.TrainRows);
        foreach (var e in report.Epochs)
        {
            Assert.NotNull(e.ValidationMetric);
            Assert.Equal(e.TrainMetric - e.ValidationMetric!.Value, e.GeneralizationGap!.Value, 12);
            Assert.Equal(e.ValidationLoss!.Value - e.TrainLoss, e.LossGap!.Value, 12);
            Assert.InRange(e.TrainMetric, 0, 1);
            Assert.True(e.SamplesPerSecond > 0 && e.Seconds > 0);
            Assert.Equal(32, e.BatchSize);
        }
        Assert.Equal(StopReason.Completed, report.StopReason);
        Assert.Equal("Accuracy", report.MetricName);
        // Training helps: the last epoch's train loss is well below the first's.
        Assert.True(report.Epochs[^1].TrainLoss < report.Epochs[0].TrainLoss);
    }

    [Fact]
    public void LargerBatchMeansFewerOptimizerSteps()
    {
        var small = Train(new TorchMlpTrainer.Options { Epochs = 2, Seed = 1, BatchSize = 16, ValidationFraction = 0 });
        var large = Train(new TorchMlpTrainer.Options { Epochs = 2, Seed = 1, BatchSize = 128, ValidationFraction = 0 });
        Assert.Equal(2 * (int)Math.Ceiling(569 / 16.0), small.TotalOptimizerSteps);
        Assert.Equal(2 * (int)Math.Ceiling(569 / 128.0), large.TotalOptimizerSteps);
        Assert.True(large.TotalOptimizerSteps < small.TotalOptimizerSteps);
        Assert.Equal((int)Math.Ceiling(569 / 128.0), large.Epochs[0].Steps);
    }

    [Fact]
    public void BatchLargerThanTheDataTrainsFullBatchAndSaysSo()
    {
        var report = Train(new TorchMlpTrainer.Options { Epochs = 3, Seed = 1, BatchSize = 4096, ValidationFraction = 0 });
        Assert.True(report.FullBatch);
        Assert.Equal(569, report.BatchSize);
        Assert.Equal(4096, report.RequestedBatchSize);
        Assert.Equal(3, report.TotalOptimizerSteps);
        Assert.Contains(report.Notes, n => n.Contains("full-batch"));
    }

    [Fact]
    public void SameSeedGivesIdenticalHistory()
    {
        var options = () => new TorchMlpTrainer.Options { Epochs = 4, Seed = 11, Dropout = 0.2, NumberOfThreads = 1 };
        var a = Train(options());
        var b = Train(options());
        Assert.Equal(a.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.TrainMetric, e.ValidationMetric)),
                     b.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.TrainMetric, e.ValidationMetric)));
        var c = Train(new TorchMlpTrainer.Options { Epochs = 4, Seed = 12, Dropout = 0.2, NumberOfThreads = 1 });
        Assert.NotEqual(a.Epochs[^1].TrainLoss, c.Epochs[^1].TrainLoss);
    }

    [Fact]
    public void DropoutStaysReproducibleWhileOtherTrainingsRunAtTheSameTime()
    {
        // Dropout masks come from the training's own generator; a shared global generator would let concurrent
        // trainings (parallel trials, parallel tests) steal each other's random numbers.
        var options = () => new TorchMlpTrainer.Options { Epochs = 3, Seed = 21, Dropout = 0.5, NumberOfThreads = 1, ValidationFraction = 0 };
        var alone = Train(options());
        var together = Enumerable.Range(0, 3).Select(_ => Task.Run(() => Train(options()))).ToArray();
        Task.WaitAll(together);
        foreach (var t in together)
            Assert.Equal(alone.Epochs.Select(e => e.TrainLoss), t.Result.Epochs.Select(e => e.TrainLoss));
    }

    [Fact]
    public void MLContextSeedMakesTrainingDeterministicWithoutAnOptionSeed()
    {
        var a = Train(new TorchMlpTrainer.Options { Epochs = 2, NumberOfThreads = 1 }, new MLContext(seed: 5));
        var b = Train(new TorchMlpTrainer.Options { Epochs = 2, NumberOfThreads = 1 }, new MLContext(seed: 5));
        Assert.Equal(a.Seed, b.Seed);
        Assert.Equal(a.Epochs[^1].TrainLoss, b.Epochs[^1].TrainLoss);
    }

    [Fact]
    public void EarlyStoppingStopsAndRestoresTheBestEpoch()
    {
        // A large learning rate on a tiny validation set overfits fast; patience 2 must stop well before 200 epochs.
        var report = Train(new TorchMlpTrainer.Options
        {
            Epochs = 200, Seed = 3, LearningRate = 0.01, HiddenLayers = new[] { 256, 256 },
            EarlyStoppingPatience = 2, ValidationFraction = 0.2,
        });
        Assert.Equal(StopReason.EarlyStopped, report.StopReason);
        Assert.True(report.Epochs.Count < 200);
        Assert.Equal(report.Epochs.Count - 2, report.BestEpoch);
        var best = report.Best!;
        Assert.Equal(report.Epochs.Min(e => e.ValidationLoss!.Value), best.ValidationLoss!.Value);
        Assert.Contains(report.Notes, n => n.Contains($"epoch {report.BestEpoch}"));
    }

    [Fact]
    public void DivergenceStopsWithTheReportInTheException()
    {
        var ml = new MLContext(seed: 1);
        var trainer = ml.Regression.Trainers.TorchMlp(new TorchMlpTrainer.Options
        {
            Epochs = 20, Seed = 1, Optimizer = OptimizerKind.Sgd, LearningRate = 1e4, Momentum = 0.9,
        });
        var e = Assert.Throws<TrainingStoppedException>(() => trainer.Fit(TestData.Concrete(ml)));
        Assert.Equal(StopReason.Diverged, e.Report.StopReason);
        Assert.True(e.Report.Epochs.Count is > 0 and < 20);
        Assert.Contains("diverged", e.Message);
        // The report of a diverged run still serializes, NaN losses included.
        var back = TrainingReport.FromJson(e.Report.ToJson());
        Assert.Equal(StopReason.Diverged, back.StopReason);
        Assert.False(double.IsFinite(back.Epochs[^1].TrainLoss));
    }

    [Theory]
    [InlineData(32)]   // many steps between two checkpoints
    [InlineData(256)]  // one step passes several of them
    public void CheckpointsInsideAnEpochComeAtEvenCountsOfExamplesWhateverTheBatchSize(int batchSize)
    {
        var checkpoints = new List<CheckpointReport>();
        var epochs = new List<(EpochReport Epoch, int CheckpointsBefore)>();
        var report = Train(new TorchMlpTrainer.Options
        {
            Epochs = 2, Seed = 3, BatchSize = batchSize, ValidationFraction = 0.2, CheckpointsPerEpoch = 4,
            Checkpoints = new SyncProgress<CheckpointReport>(checkpoints.Add),
            Progress = new SyncProgress<EpochReport>(e => epochs.Add((e, checkpoints.Count))),
        });

        int rows = report.TrainRows; // 456
        Assert.Equal(new long[] { 114, 228, 342, rows + 114, rows + 228, rows + 342 }, checkpoints.Select(c => c.Examples));
        Assert.Equal(new[] { 1, 1, 1, 2, 2, 2 }, checkpoints.Select(c => c.Epoch));
        // Three inside each epoch, before that epoch's own report.
        Assert.Equal(new[] { 3, 6 }, epochs.Select(e => e.CheckpointsBefore));
        foreach (var c in checkpoints)
        {
            Assert.InRange(c.ValidationMetric, 0, 1);
            Assert.True(double.IsFinite(c.ValidationLoss) && c.ValidationLoss > 0);
        }
        // Training between checkpoints moves the model: not every measurement is the same.
        Assert.True(checkpoints.Select(c => c.ValidationLoss).Distinct().Count() > 1);
        Assert.Equal(2, report.Epochs.Count);
    }

    [Fact]
    public void WithoutAReceiverOrWithOneCheckpointNothingIsMeasuredInsideAnEpoch()
    {
        var checkpoints = new List<CheckpointReport>();
        Train(new TorchMlpTrainer.Options { Epochs = 2, Seed = 3, CheckpointsPerEpoch = 1, Checkpoints = new SyncProgress<CheckpointReport>(checkpoints.Add) });
        Assert.Empty(checkpoints);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Train(new TorchMlpTrainer.Options { CheckpointsPerEpoch = 0 }));
        Assert.Contains("CheckpointsPerEpoch", e.Message);
    }

    [Fact]
    public void CancellationStopsTrainingWithTheReportSoFar()
    {
        using var cts = new CancellationTokenSource();
        var options = new TorchMlpTrainer.Options
        {
            Epochs = 500, Seed = 1, CancellationToken = cts.Token,
            Progress = new SyncProgress<EpochReport>(r => { if (r.Epoch == 3) cts.Cancel(); }),
        };
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<TrainingStoppedException>(() => ml.BinaryClassification.Trainers.TorchMlp(options).Fit(BreastCancer(ml)));
        Assert.Equal(StopReason.Cancelled, e.Report.StopReason);
        Assert.Equal(3, e.Report.Epochs.Count);
    }

    [Fact]
    public void ReportRoundTripsThroughJson()
    {
        var report = Train(new TorchMlpTrainer.Options { Epochs = 2, Seed = 1, LearningRateScaling = LearningRateScaling.SquareRoot, BatchSize = 128, ReferenceBatchSize = 32 });
        var json = report.ToJson();
        Assert.Contains("\"GeneralizationGap\"", json);
        Assert.Contains("\"StopReason\": \"Completed\"", json);
        var back = TrainingReport.FromJson(json);
        Assert.Equal(report.Epochs.Select(e => e.GeneralizationGap), back.Epochs.Select(e => e.GeneralizationGap));
        Assert.Equal(report.BestEpoch, back.BestEpoch);
        Assert.Equal(report.ScaledLearningRate, back.ScaledLearningRate);
        Assert.Equal(1e-3 * 2, report.ScaledLearningRate, 12); // sqrt(128 / 32) = 2
    }

    /// <summary>IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
