using System.Globalization;
using System.Text;
using Microsoft.ML;
using Pipelines.Reports;
using Pipelines.Torch;
using Pipelines.Torch.BatchSize;
using Pipelines.Torch.Data;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Bench;

/// <summary>
/// One batch-size sweep on a real data set through the library (<see cref="BatchSizeSweep"/>), written with the
/// report library (<see cref="BatchSizeReport"/>: batch-size.csv, batch-size.json, report.html, plots/) plus a
/// summary.md of the numbers docs/batch-size.md quotes. The seed experiments are sweeps with different settings:
/// fixed epochs against matched steps (Keskar, Hoffer), linear against square-root scaling, the critical batch size.
/// </summary>
static class BatchSizeExperiment
{
    public sealed record Settings
    {
        public required string Dataset { get; init; }
        public int TrainRows { get; init; } = 8000;
        public int ValidationRows { get; init; } = 4000;
        public int[] BatchSizes { get; init; } = { 16, 32, 64, 128, 256, 512, 1024, 2048 };
        public int[] Hidden { get; init; } = { 128, 128 };
        public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
        public double LearningRate { get; init; } = 1e-3;
        public int ReferenceBatchSize { get; init; } = 32;
        /// <summary>None: the optimizer's rule (linear for SGD, square root for Adam).</summary>
        public LearningRateScaling Scaling { get; init; } = LearningRateScaling.None;
        /// <summary>The same learning rate at every batch size (LearningRateSelection.Fixed).</summary>
        public bool FixedRate { get; init; }
        /// <summary>Null: the scaling rule alone; else a search over these factors of it.</summary>
        public double[]? SearchFactors { get; init; }
        public double? Target { get; init; }
        public int Epochs { get; init; } = 20;
        public bool MatchSteps { get; init; }
        public double? TrainTimeSeconds { get; init; }
        /// <summary>Null: runs do not stop at their minimum (for the final gap after a fixed budget).</summary>
        public double? PlateauFactor { get; init; } = 2;
        public int Seed { get; init; } = 1;
        public int Threads { get; init; } = 1;
        public required string Output { get; init; }
    }

    public static BatchSizeSweepResult Run(Settings s, string root, TextWriter log)
    {
        var ml = new MLContext(seed: s.Seed);
        var data = s.Dataset switch
        {
            "adult" => TuningBenchmark.Adult(ml, Path.Combine(root, "datasets", "adult.csv"), s.TrainRows, s.ValidationRows),
            "fashion-mnist" => TuningBenchmark.FashionMnist(ml, Path.Combine(root, "..", "shared", "datasets", "fashion-mnist"), s.TrainRows, s.ValidationRows),
            _ => throw new ArgumentException($"Unknown dataset '{s.Dataset}' (expected adult or fashion-mnist)."),
        };
        var (train, validation) = (data.Train, data.Validation);
        if (data.Featurizer is { } featurizer)
        {
            var fitted = featurizer.Fit(train);
            (train, validation) = (ml.Data.Cache(fitted.Transform(train)), ml.Data.Cache(fitted.Transform(validation)));
        }
        var options = new TorchMlpTrainer.Options
        {
            HiddenLayers = s.Hidden, Optimizer = s.Optimizer, LearningRate = s.LearningRate, ReferenceBatchSize = s.ReferenceBatchSize,
            LearningRateScaling = s.Scaling, ValidationSet = validation, Seed = s.Seed, NumberOfThreads = s.Threads, Device = "cpu",
        };
        var trainer = data.Task == PredictionKind.BinaryClassification
            ? ml.BinaryClassification.Trainers.TorchMlp(options)
            : ml.MulticlassClassification.Trainers.TorchMlp(options);
        var sweep = new BatchSizeSweepOptions
        {
            BatchSizes = s.BatchSizes, MaxEpochs = s.Epochs, MatchSteps = s.MatchSteps, TargetLoss = s.Target, TrainTimeSeconds = s.TrainTimeSeconds,
            PlateauFactor = s.PlateauFactor,
            LearningRateSelection = s.FixedRate ? LearningRateSelection.Fixed : s.SearchFactors is null ? LearningRateSelection.ScalingRule : LearningRateSelection.Search,
            LearningRateFactors = s.SearchFactors ?? new[] { 1.0 },
            Progress = new LogProgress(log),
        };
        var started = DateTime.UtcNow;
        var result = BatchSizeSweep.Run(trainer, train, sweep);
        var elapsed = DateTime.UtcNow - started;

        var settings = new Dictionary<string, string>
        {
            ["data"] = $"{s.Dataset}: {result.TrainRows:N0} training rows, {result.ValidationRows:N0} validation rows",
            ["network"] = $"MLP [{string.Join(", ", s.Hidden)}], {s.Optimizer}, lr {s.LearningRate} at batch {s.ReferenceBatchSize}",
            ["budget"] = (s.MatchSteps ? $"{s.Epochs} epochs of the smallest batch size's steps" : $"{s.Epochs} epochs") + (s.TrainTimeSeconds is { } t ? $", {t:F0} s in all" : ""),
            ["runs stop"] = s.PlateauFactor is { } f ? $"at the target, or after {f}x the examples of their lowest loss without a new low" : "at the target or the end of their budget only",
            ["seed"] = s.Seed.ToString(CultureInfo.InvariantCulture),
            ["wall time"] = $"{elapsed.TotalSeconds:F0} s",
            ["machine"] = $"{Environment.ProcessorCount} logical CPUs, {s.Threads} LibTorch thread(s)",
        };
        BatchSizeReport.Write(s.Output, new BatchSizeReportInput { Title = $"{s.Dataset} batch-size sweep", Result = result, Settings = settings });
        var summary = Summary(result, settings);
        File.WriteAllText(Path.Combine(s.Output, "summary.md"), summary);
        log.WriteLine(summary);
        return result;
    }

    /// <summary>The numbers in markdown: settings, one row per batch size, the fit, the noise scale, the recommendation.</summary>
    public static string Summary(BatchSizeSweepResult r, IReadOnlyDictionary<string, string> settings)
    {
        var inv = CultureInfo.InvariantCulture;
        string N(double? v, string format) => v is { } x && double.IsFinite(x) ? x.ToString(format, inv) : "—";
        var sb = new StringBuilder();
        sb.AppendLine(string.Join("; ", settings.Select(kv => $"{kv.Key}: {kv.Value}")) + ".");
        sb.AppendLine($"Learning rate: {r.LearningRateSelection switch { LearningRateSelection.Search => $"searched around the {r.LearningRateRule} rule", LearningRateSelection.Fixed => "the same at every batch size", _ => $"the {r.LearningRateRule} rule" }}. " +
                      $"Target validation {r.LossName} {r.TargetLoss.ToString("G4", inv)} ({(r.TargetGiven ? "given" : "automatic")}).");
        sb.AppendLine();
        sb.AppendLine($"| batch | lr | steps | examples | seconds | samples/s | train {r.MetricName} | validation {r.MetricName} | gap | B_simple |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in r.Points)
            sb.AppendLine($"| {p.BatchSize} | {p.LearningRate.ToString("G3", inv)} | {N(p.Steps, "N0")} | {N(p.Examples, "N0")} | {N(p.Seconds, "0.0")} | {N(p.SamplesPerSecond, "N0")} | " +
                          $"{N(p.TrainMetric, "0.0000")} | {N(p.ValidationMetric, "0.0000")} | {N(p.Gap, "+0.0000;-0.0000")} | {N(p.GradientNoiseScale, "N0")} |");
        sb.AppendLine();
        sb.AppendLine(r.Fit is { } fit
            ? $"Fit: S_min {N(fit.MinSteps, "N0")}, E_min {N(fit.MinExamples, "N0")}, B_crit {N(fit.CriticalBatchSize, "N0")} (RMS log error {N(fit.RmsLogError, "0.000")}, {fit.Points} points). " +
              $"B_simple (median at the target) {N(r.GradientNoiseScale, "N0")}: B_simple / B_crit = {N(r.GradientNoiseScale / fit.CriticalBatchSize, "0.00")}."
            : $"No fit. B_simple (median at the target) {N(r.GradientNoiseScale, "N0")}.");
        sb.AppendLine();
        sb.AppendLine(r.Recommendation.Text);
        foreach (var note in r.Notes) sb.AppendLine($"- {note}");
        return sb.ToString();
    }

    sealed class LogProgress(TextWriter log) : IProgress<BatchSizeSweepProgress>
    {
        public void Report(BatchSizeSweepProgress p)
        {
            if (p.Finished is { } run)
                log.WriteLine($"  run {p.Run}/{p.Runs}: batch {p.BatchSize}, lr {p.LearningRate:G3}: {run.Report.StopReason}, {run.Report.TotalOptimizerSteps:N0} steps, " +
                              $"{run.Checkpoints[^1].Seconds:F1} s, lowest validation loss {run.LowestValidationLoss:G4}, {run.SamplesPerSecond:N0} samples/s");
        }
    }
}
