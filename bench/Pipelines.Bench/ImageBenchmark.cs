using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Pipelines.Torch;
using Pipelines.Torch.Data;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Bench;

/// <summary>
/// The CNN image classifier on the full Fashion-MNIST training set, one full training per batch size, through the
/// public ML.NET API (Fit, then Transform and Evaluate on the 10,000 test images). Records training time, samples
/// per second, the final train accuracy, test accuracy and their gap for each batch size.
/// </summary>
static class ImageBenchmark
{
    public sealed record Settings(int[] BatchSizes, int Epochs, int TrainRows, ImageArchitecture Architecture, int Width,
        int Depth, double LearningRate, int ReferenceBatchSize, LearningRateScaling Scaling, int? Threads);

    public sealed record Row(int BatchSize, double LearningRate, int Epochs, double TrainSeconds, double SamplesPerSecond,
        double TrainAccuracy, double TestAccuracy, double EvaluateSeconds)
    {
        public double Gap => TrainAccuracy - TestAccuracy;
    }

    public static List<Row> Run(string folder, Settings s, TextWriter log)
    {
        var ml = new MLContext(seed: 1);
        var load = Stopwatch.StartNew();
        var rawTrain = ImageDatasets.LoadIdx(ml, Path.Combine(folder, "train-images-idx3-ubyte.gz"), Path.Combine(folder, "train-labels-idx1-ubyte.gz"), s.TrainRows);
        var rawTest = ImageDatasets.LoadIdx(ml, Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
        // One key mapping, fitted on the training labels, for both sets: keys follow the order values are first seen.
        var keys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(rawTrain);
        var train = ml.Data.Cache(keys.Transform(rawTrain));
        var test = ml.Data.Cache(keys.Transform(rawTest));
        log.WriteLine($"Loaded the IDX files in {load.Elapsed.TotalSeconds:F1} s.");

        var rows = new List<Row>();
        foreach (int batch in s.BatchSizes)
        {
            var options = new TorchImageClassifierTrainer.Options
            {
                Architecture = s.Architecture, Width = s.Width, Depth = s.Depth,
                BatchSize = batch, Epochs = s.Epochs, LearningRate = s.LearningRate,
                ReferenceBatchSize = s.ReferenceBatchSize, LearningRateScaling = s.Scaling,
                ValidationFraction = 0, Seed = 1, NumberOfThreads = s.Threads,
                Progress = new Progress<EpochReport>(e => log.WriteLine(
                    $"  batch {batch} epoch {e.Epoch}/{e.PlannedEpochs}: train loss {e.TrainLoss:F4}, train accuracy {e.TrainMetric:F4}, {e.SamplesPerSecond:F0} samples/s")),
            };
            var watch = Stopwatch.StartNew();
            var model = ml.MulticlassClassification.Trainers.TorchImageClassifier(options).Fit(train);
            double trainSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            var report = model.TrainingReport;
            var row = new Row(batch, report.ScaledLearningRate, report.Epochs.Count, trainSeconds,
                Median(report.Epochs.Select(e => e.SamplesPerSecond)), report.Epochs[^1].TrainMetric, metrics.MicroAccuracy,
                watch.Elapsed.TotalSeconds);
            log.WriteLine($"batch {batch}: test accuracy {row.TestAccuracy:F4}, {row.TrainSeconds:F0} s, {row.SamplesPerSecond:F0} samples/s");
            rows.Add(row);
        }
        return rows;
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string ToMarkdown(IReadOnlyList<Row> rows)
    {
        double baseline = rows[0].SamplesPerSecond;
        var sb = new StringBuilder();
        sb.AppendLine($"| Batch size | Learning rate | Epochs | Train time (s) | Samples/s (median epoch) | vs batch {rows[0].BatchSize} | Train accuracy | Test accuracy | Gap (train - test) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.BatchSize} | {r.LearningRate:G3} | {r.Epochs} | {r.TrainSeconds:F0} | {r.SamplesPerSecond:F0} | {r.SamplesPerSecond / baseline:F2} | " +
                          $"{r.TrainAccuracy:F4} | {r.TestAccuracy:F4} | {r.Gap:+0.0000;-0.0000} |");
        return sb.ToString();
    }
}
