using System.Globalization;
using System.Text;
using Microsoft.ML;
using Pipelines.Torch;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Bench;

/// <summary>
/// The experiment of the article this project started from, with our trainer: make_blobs(1000 samples, 3 centers,
/// 2 features, cluster_std 2, random_state 2), the first 500 rows to train and the last 500 to test, an MLP with
/// one hidden layer of 50 ReLU units, SGD with momentum 0.9, 200 epochs, features as they are (no
/// standardization, as in the Keras original), at batch sizes 500 (full batch), 1 and 32.
/// </summary>
static class BlobsExperiment
{
    /// <summary>The published cells (one Keras run each): batch size, learning rate, train and test accuracy after 200 epochs.</summary>
    public static readonly (int Batch, double Rate, double Train, double Test)[] Published =
    {
        (500, 0.01, 0.816, 0.830),
        (1, 0.01, 0.612, 0.606),
        (1, 0.001, 0.816, 0.824),
        (32, 0.01, 0.832, 0.812),
    };

    public static string Run(int seeds, int epochs, TextWriter log)
    {
        MakeBlobs.CheckAgainstScikitLearn();
        var (x, y) = MakeBlobs.Generate(1000, 3, 2, 2.0, 2);
        var ml = new MLContext(seed: 1);
        var train = View(ml, x, y, 0, 500);
        var test = View(ml, x, y, 500, 500);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine($"make_blobs(1000, centers=3, n_features=2, cluster_std=2, random_state=2); rows 0-499 train, 500-999 test; MLP [50] ReLU, SGD momentum 0.9, " +
                      $"{epochs} epochs, no feature standardization; {seeds} training seeds (1 to {seeds}) per cell; mean ± sd (min-max) of the final epoch's accuracies.");
        sb.AppendLine();
        sb.AppendLine("| batch | lr | published train | published test | ours train | ours test | ours test min-max | seconds per run |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (batch, rate, pubTrain, pubTest) in Published)
        {
            var runs = new List<(double Train, double Test, double Seconds)>();
            for (int seed = 1; seed <= seeds; seed++)
            {
                var report = ml.MulticlassClassification.Trainers.TorchMlp(new TorchMlpTrainer.Options
                {
                    HiddenLayers = new[] { 50 }, Activation = Pipelines.Torch.Networks.Activation.ReLU, Optimizer = OptimizerKind.Sgd, Momentum = 0.9,
                    LearningRate = rate, BatchSize = batch, Epochs = epochs, StandardizeFeatures = false, ValidationSet = test,
                    Seed = seed, NumberOfThreads = 1, Device = "cpu",
                }).Fit(train).TrainingReport;
                var last = report.Epochs[^1];
                runs.Add((last.TrainMetric, last.ValidationMetric!.Value, report.TotalSeconds));
                log.WriteLine($"  batch {batch}, lr {rate}, seed {seed}: train {last.TrainMetric:F3}, test {last.ValidationMetric:F3}, {report.TotalSeconds:F1} s");
            }
            string MeanSd(IEnumerable<double> v)
            {
                var a = v.ToArray();
                double mean = a.Average(), sd = Math.Sqrt(a.Sum(t => (t - mean) * (t - mean)) / Math.Max(1, a.Length - 1));
                return $"{mean.ToString("0.000", inv)} ± {sd.ToString("0.000", inv)}";
            }
            sb.AppendLine($"| {batch} | {rate} | {pubTrain:0.000} | {pubTest:0.000} | {MeanSd(runs.Select(r => r.Train))} | {MeanSd(runs.Select(r => r.Test))} | " +
                          $"{runs.Min(r => r.Test).ToString("0.000", inv)}-{runs.Max(r => r.Test).ToString("0.000", inv)} | {runs.Average(r => r.Seconds).ToString("0.0", inv)} |");
        }
        return sb.ToString();
    }

    static IDataView View(MLContext ml, double[][] x, int[] y, int start, int count)
    {
        var features = new float[count * 2];
        var labels = new float[count];
        for (int i = 0; i < count; i++)
        {
            features[2 * i] = (float)x[start + i][0];
            features[2 * i + 1] = (float)x[start + i][1];
            labels[i] = y[start + i];
        }
        return new BenchDataset("blobs", features, labels, count, 2, 3).ToDataView(ml);
    }
}
