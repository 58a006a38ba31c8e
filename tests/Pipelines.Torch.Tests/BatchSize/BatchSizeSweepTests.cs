using Microsoft.ML;
using Pipelines.Torch.BatchSize;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Torch.Tests.BatchSize;

/// <summary>The sweep on a small real data set (breast cancer, 569 rows): what it measures and how it stops runs.</summary>
public class BatchSizeSweepTests
{
    static TorchMlpTrainer Trainer(MLContext ml, OptimizerKind optimizer = OptimizerKind.Adam, double validation = 0.2) =>
        ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options
        {
            Seed = 2, NumberOfThreads = 1, Optimizer = optimizer, LearningRate = optimizer == OptimizerKind.Sgd ? 0.02 : 1e-3,
            ReferenceBatchSize = 32, HiddenLayers = new[] { 32 }, ValidationFraction = validation,
        });

    static BatchSizeSweepResult Sweep(BatchSizeSweepOptions options, OptimizerKind optimizer = OptimizerKind.Adam)
    {
        var ml = new MLContext(seed: 1);
        return BatchSizeSweep.Run(Trainer(ml, optimizer), TestData.BreastCancer(ml), options);
    }

    [Fact]
    public void WithoutATargetEveryBatchSizeReachesTheAutomaticOneAndTheCurveIsFitted()
    {
        var progress = new List<BatchSizeSweepProgress>();
        var result = Sweep(new BatchSizeSweepOptions
        {
            BatchSizes = new[] { 8, 32, 128 }, MaxEpochs = 8, PlateauFactor = null, Progress = new Recorder(progress.Add),
        });
        Assert.Equal(new[] { 8, 32, 128 }, result.Points.Select(p => p.BatchSize));
        Assert.False(result.TargetGiven);
        Assert.All(result.Points, p => Assert.True(p.ReachedTarget, $"batch {p.BatchSize} missed {result.TargetLoss}"));
        // The target is the highest of the lowest losses plus 2% of that run's drop: one batch size only just reaches it.
        var hardest = result.Runs.MaxBy(r => r.LowestValidationLoss!.Value)!;
        double lowest = hardest.LowestValidationLoss!.Value;
        Assert.Equal(lowest + 0.02 * (hardest.Checkpoints[0].ValidationLoss - lowest), result.TargetLoss, 12);
        Assert.All(result.Runs, r =>
        {
            Assert.Equal(StopReason.Completed, r.Report.StopReason);
            Assert.Equal(8, r.Report.Epochs.Count);
            Assert.True(r.Checkpoints.All(c => c.Seconds >= 0), "negative seconds");
            Assert.Equal(0, r.Checkpoints[0].Steps);
            Assert.Equal(r.Report.TotalOptimizerSteps, r.Checkpoints[^1].Steps);
            Assert.True(r.Checkpoints.Count > 10, $"{r.Checkpoints.Count} checkpoints");
            Assert.True(r.Report.Epochs.Sum(e => e.NoiseScaleSteps) > 0, "no step measured the noise scale");
        });
        // Adam: the square-root rule from 1e-3 at batch 32.
        Assert.Equal(LearningRateScaling.SquareRoot, result.LearningRateRule);
        Assert.Equal(new[] { 1e-3 * 0.5, 1e-3, 1e-3 * 2 }, result.Points.Select(p => p.LearningRate), new Tolerance(1e-12));
        foreach (var p in result.Points)
        {
            // Full batches but each epoch's last: between the mean batch of an epoch and the batch size.
            double perStep = p.Examples!.Value / p.Steps!.Value, meanBatch = result.TrainRows / Math.Ceiling(result.TrainRows / (double)p.BatchSize);
            Assert.InRange(perStep, meanBatch * 0.95, p.BatchSize + 1e-9);
            Assert.True(p.Seconds > 0 && p.SamplesPerSecond > 0);
            Assert.Equal(p.TrainMetric!.Value - p.ValidationMetric!.Value, p.Gap!.Value, 12);
        }
        Assert.NotNull(result.Fit);
        Assert.Equal(3, result.Fit!.Points);
        Assert.True(result.CriticalBatchSize > 0 && result.Fit.MinSteps > 0);
        Assert.NotNull(result.GradientNoiseScale);
        Assert.True(result.GradientNoiseScale > 0);
        Assert.NotNull(result.Recommendation.BatchSize);
        Assert.Contains("Fastest to validation loss", result.Recommendation.Text);
        // Progress: each run's start, its 8 epochs and its end.
        Assert.Equal(3 * (1 + 8 + 1), progress.Count);
        Assert.Equal(3, progress.Count(p => p.Finished is not null));
    }

    [Fact]
    public void AGivenTargetStopsEachRunWhenItIsReached()
    {
        var result = Sweep(new BatchSizeSweepOptions { BatchSizes = new[] { 16, 64 }, MaxEpochs = 30, TargetLoss = 0.3 });
        Assert.True(result.TargetGiven);
        Assert.All(result.Runs, r =>
        {
            Assert.Equal(StopReason.TargetReached, r.Report.StopReason);
            Assert.True(r.Checkpoints[^1].ValidationLoss <= 0.3);
            Assert.True(r.Checkpoints[^2].ValidationLoss > 0.3);
        });
        // The larger batch takes fewer steps but more examples to the same loss.
        var (small, large) = (result.Points[0], result.Points[1]);
        Assert.True(large.Steps < small.Steps, $"steps {small.Steps} at 16, {large.Steps} at 64");
    }

    [Fact]
    public void ASearchTriesEveryFactorAtEveryBatchSizeAndKeepsTheFewestSteps()
    {
        var result = Sweep(new BatchSizeSweepOptions
        {
            BatchSizes = new[] { 16, 64 }, MaxEpochs = 20, TargetLoss = 0.25,
            LearningRateSelection = LearningRateSelection.Search, LearningRateFactors = new[] { 0.5, 2 },
        }, OptimizerKind.Sgd);
        Assert.Equal(LearningRateScaling.Linear, result.LearningRateRule);
        Assert.Equal(4, result.Runs.Count);
        Assert.Equal(new[] { 0.005, 0.02, 0.02, 0.08 }, result.Runs.Select(r => r.LearningRate), new Tolerance(1e-12));
        foreach (var p in result.Points.Where(p => p.ReachedTarget))
        {
            var steps = result.Runs.Where(r => r.BatchSize == p.BatchSize)
                .Select(r => TargetCrossing.Find(r.Checkpoints, result.TargetLoss)?.Steps ?? double.PositiveInfinity);
            Assert.Equal(steps.Min(), p.Steps!.Value);
        }
    }

    [Fact]
    public void ARunStopsOnceItsExamplesHaveDoubledSinceItsLowestLoss()
    {
        // A large learning rate on breast cancer overfits within a few epochs; 200 epochs would follow without the plateau rule.
        var ml = new MLContext(seed: 1);
        var trainer = ml.BinaryClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options
        {
            Seed = 2, NumberOfThreads = 1, LearningRate = 0.01, HiddenLayers = new[] { 256, 256 }, ValidationFraction = 0.2,
        });
        var result = BatchSizeSweep.Run(trainer, TestData.BreastCancer(ml), new BatchSizeSweepOptions { BatchSizes = new[] { 32 }, MaxEpochs = 200 });
        var run = result.Runs[0];
        Assert.Equal(StopReason.EarlyStopped, run.Report.StopReason);
        var lowest = run.Checkpoints.MinBy(c => c.ValidationLoss)!;
        Assert.True(run.Checkpoints[^1].Examples >= 2 * lowest.Examples);
        Assert.True(run.Checkpoints[^2].Examples < 2 * lowest.Examples);
        Assert.True(run.Report.Epochs.Count < 200);
    }

    [Fact]
    public void MatchingStepsGivesLargerBatchesProportionallyMoreEpochs()
    {
        var result = Sweep(new BatchSizeSweepOptions { BatchSizes = new[] { 16, 64 }, MaxEpochs = 2, MatchSteps = true, PlateauFactor = null });
        // 456 training rows: 29 steps per epoch at 16, so 58 steps; at 64 (8 steps per epoch) 8 epochs give 64 steps.
        Assert.Equal(new long[] { 58, 64 }, result.Runs.Select(r => r.Report.TotalOptimizerSteps));
        Assert.Equal(new[] { 2, 8 }, result.Runs.Select(r => r.Report.Epochs.Count));
    }

    [Fact]
    public void BatchSizesAboveTheRowsTrainOnceFullBatchAndNoValidationIsAnError()
    {
        var result = Sweep(new BatchSizeSweepOptions { BatchSizes = new[] { 1024, 4096 }, MaxEpochs = 3 });
        Assert.Equal(new[] { 569 - 113 }, result.Points.Select(p => p.BatchSize));
        Assert.Contains(result.Notes, n => n.Contains("full-batch"));

        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => BatchSizeSweep.Run(Trainer(ml, validation: 0), TestData.BreastCancer(ml)));
        Assert.Contains("validation", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sweep(new BatchSizeSweepOptions { CheckGrowth = 1 }));
    }

    sealed class Recorder(Action<BatchSizeSweepProgress> report) : IProgress<BatchSizeSweepProgress>
    {
        public void Report(BatchSizeSweepProgress value) => report(value);
    }

    sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;
        public int GetHashCode(double obj) => 0;
    }
}
