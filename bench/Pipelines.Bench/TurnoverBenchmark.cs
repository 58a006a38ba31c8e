using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;
using Pipelines.Torch.Trainers;

namespace Pipelines.Bench;

/// <summary>
/// Issue 11's trial turnover: the work around a short Torch trial (building the model, scoring the validation rows and
/// a training sample of their size, the study's writes) as a share of the trial's wall time, from the study's own
/// records (a trial's duration against its training report's seconds); and, on one fitted model, scoring the
/// validation rows through the ONNX chain against scoring them in batches.
/// </summary>
static class TurnoverBenchmark
{
    public static string Run(BenchDataset adult, int rows, int trials, TextWriter log)
    {
        var ml = new MLContext(seed: 1);
        var all = ml.Data.Cache(adult.ToDataView(ml));
        var train = ml.Data.TakeRows(all, rows);
        var validation = ml.Data.TakeRows(ml.Data.SkipRows(all, rows), rows);
        // A trial of about half a second on two cores: a few epochs of a small network.
        var space = new SearchSpaceBuilder().Int("epochs", 6, 6).PowerOfTwo("batch_size", 64, 64).Int("width", 64, 64).Int("depth", 1, 1)
            .Double("learning_rate", 1e-3, 1e-2, logBase: true).Build();
        var result = new AutoMLExperiment(ml).SetDataset(train, validation).SetTrainers(new TorchMlpCandidate { EarlyStoppingPatience = 0 })
            .SetSearchSpace("torch-mlp", space).SetEnsemble(false).SetMaxTrials(trials).SetSeed(1).RunAsync().GetAwaiter().GetResult();
        var shares = result.Trials.Where(t => t.Status == TrialStatus.Completed).Skip(1) // the first trial also warms up LibTorch
            .Select(t => (Trial: t, Loop: TrialFacts.From(t).Report!.TotalSeconds)).Select(x => (x.Trial.DurationSeconds, Around: x.Trial.DurationSeconds - x.Loop)).ToList();
        foreach (var (duration, around) in shares) log.WriteLine($"trial {duration:F3} s, around the training loop {around:F3} s ({around / duration:P0})");

        var model = (TorchMlpModel)result.Best.Model; // no featurizer: the trial's model itself
        double onnx = Seconds(() => ml.BinaryClassification.Evaluate(model.Transform(validation)));
        double batched = Seconds(() => ml.BinaryClassification.Evaluate(model.ScoreInBatches(validation)));
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv,
            $"Torch trials of {Median(shares.Select(s => s.DurationSeconds)):F2} s (median over {shares.Count}), {rows:N0} training and {rows:N0} validation rows of adult: " +
            $"the work around the training loop takes a median {Median(shares.Select(s => s.Around)):F3} s, {Median(shares.Select(s => s.Around / s.DurationSeconds)):P0} of the trial. " +
            $"Evaluating the {rows:N0} validation rows of one model: {onnx:F3} s through the ONNX scoring chain, {batched:F3} s scored in batches (x{onnx / batched:F0}).");
    }

    static double Seconds(Action action)
    {
        action(); // warm-up
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 3; i++) action();
        return watch.Elapsed.TotalSeconds / 3;
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }
}
