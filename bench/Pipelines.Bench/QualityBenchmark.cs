using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Inference;
using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Portfolio;
using Pipelines.Torch.Data;

namespace Pipelines.Bench;

/// <summary>One data file of the quality benchmark, read as the CLI reads it.</summary>
sealed record QualityDataset(string Name, string Path, string Label, bool? HasHeader = null, PredictionKind? Task = null);

/// <summary>One measured search (or one default model, with <see cref="Budget"/> null).</summary>
sealed record QualityRow(string Dataset, string Method, int Seed, double? Budget, double TestMetric, double Seconds, int Trials, string Best, bool? EnsembleKept,
    double? EnsembleHeldOut = null, double? BestSingleHeldOut = null, double? SearchSeconds = null, bool Refitted = false, string? DefaultKept = null, double EnsembleSeconds = 0, double FinalSeconds = 0, int EnsembleFolds = 0, bool RefitStopped = false);

/// <summary>
/// Issue 11's quality benchmark: on each data set a fixed 80/20 split; in the same run, the test metric of each
/// trainer with its defaults (one trial, the catalog's or the candidate's defaults) and of the whole engine at each
/// budget and seed, with the trial count, the overshoot of the budget and whether the final ensemble was kept. With
/// refit, the chosen model (a default's too, a kept ensemble's members) is fitted again on training plus validation
/// rows when the budget has room for it, as a user fits a default model on the whole training file.
/// </summary>
static class QualityBenchmark
{
    /// <param name="enginesOnly">Skip the defaults (a diagnostic run; the table then has no best default).</param>
    /// <param name="listTrials">Log every trial of each engine run: trainer, state, validation metric, seconds.</param>
    public static IReadOnlyList<QualityRow> Run(IReadOnlyList<QualityDataset> datasets, IReadOnlyList<double> budgets, IReadOnlyList<int> seeds, bool refit, TextWriter log,
        bool enginesOnly = false, bool listTrials = false)
    {
        var rows = new List<QualityRow>();
        foreach (var dataset in datasets)
        {
            var ml = new MLContext(seed: 0);
            var columns = ColumnInference.InferColumns(dataset.Path, dataset.Label, hasHeader: dataset.HasHeader, task: dataset.Task);
            var split = ml.Data.TrainTestSplit(columns.LoadData(ml), testFraction: 0.2, seed: 0);
            var (train, test) = (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
            if (!enginesOnly)
                foreach (var trainer in TrainerPortfolio.Tabular)
                    rows.Add(Log(log, Measure(dataset, columns, train, test, trainer.Name, 0, null, new[] { trainer }, refit, null)));
            foreach (var budget in budgets)
                foreach (var seed in seeds)
                    rows.Add(Log(log, Measure(dataset, columns, train, test, "engine", seed, budget, TrainerPortfolio.Tabular, refit, listTrials ? log : null)));
        }
        return rows;
    }

    static QualityRow Measure(QualityDataset dataset, ColumnInferenceResult columns, IDataView train, IDataView test, string method, int seed,
        double? budget, IReadOnlyList<TrainerCandidate> trainers, bool refit, TextWriter? trialLog)
    {
        var ml = new MLContext(seed);
        var metric = MetricCatalog.DefaultMetric(columns.Task);
        var experiment = new AutoMLExperiment(ml).SetDataset(train, 0.2).SetTask(columns.Task, metric)
            .SetFeaturizer(Featurizer.Build(ml, columns)).SetTrainers(trainers.ToArray()).SetSeed(seed).SetRefit(refit);
        experiment = budget is { } seconds ? experiment.SetTrainingTimeInSeconds(seconds) : experiment.SetMaxTrials(1).SetEnsemble(false);
        var (watch, started) = (Stopwatch.StartNew(), DateTimeOffset.UtcNow);
        var result = experiment.RunAsync().GetAwaiter().GetResult();
        double elapsed = watch.Elapsed.TotalSeconds;
        // When the last trial of the search ended: what comes after it is the final ensemble and the refit.
        var searchEnd = result.Trials.Where(t => t.Trainer != EnsembleOutcome.TrainerName && t.FinishedAt != null).Select(t => t.FinishedAt!.Value).DefaultIfEmpty(started).Max();
        double testMetric = MetricCatalog.Evaluate(ml, columns.Task, metric, result.Best.Model.Transform(test), "Label");
        foreach (var t in trialLog == null ? [] : result.Trials)
            trialLog!.WriteLine($"    trial {t.Id,3} {t.Trainer,-10} {t.Status,-9} validation {t.ValidationMetric:F4} in {t.DurationSeconds,6:F1} s  {t.Parameters}");
        return new QualityRow(dataset.Name, method, seed, budget, testMetric, elapsed, result.Trials.Count(t => t.Trainer != EnsembleOutcome.TrainerName),
            $"{result.Best.Record.Trainer ?? "?"} (top trial {result.Leaderboard[0].Trainer}, {result.Leaderboard[0].DurationSeconds:F1} s)", result.Ensemble?.Kept,
            result.Ensemble?.HeldOutMetric, result.Ensemble?.BestSingleHeldOutMetric, (searchEnd - started).TotalSeconds, result.Best.Refitted,
            result.DefaultChoice is { } c ? $"{c.Default.Trainer}'s defaults kept over {c.Passed.Trainer} (lead {c.Lead:G2}, one standard error {c.StandardError:G2}, {(c.Folds == 0 ? "validation rows" : $"{c.Folds}-fold second look")})" : null,
            result.EndSeconds.Ensemble, result.EndSeconds.FinalModel, result.Ensemble?.Folds ?? 0, result.Best.RefitStopped);
    }

    static QualityRow Log(TextWriter log, QualityRow row)
    {
        log.WriteLine($"{row.Dataset,-14} {row.Method,-10} seed {row.Seed} budget {row.Budget?.ToString("F0") ?? "-",4}: test {row.TestMetric:F4} in {row.Seconds:F1} s " +
                      $"(search {row.SearchSeconds:F1} s, ensemble step {row.EnsembleSeconds:F1} s, final model {row.FinalSeconds:F1} s{(row.Refitted ? ", refitted" : row.RefitStopped ? ", refit stopped at the budget" : "")}), " +
                      $"{row.Trials} trial(s), best {row.Best}{(row.EnsembleKept is { } kept ? $", ensemble {(kept ? "kept" : "dropped")} (held out {row.EnsembleHeldOut:F4} against {row.BestSingleHeldOut:F4}, {(row.EnsembleFolds == 0 ? "validation halves" : $"{row.EnsembleFolds}-fold second look")})" : "")}" +
                      (row.DefaultKept is { } d ? $", {d}" : ""));
        return row;
    }

    /// <summary>Per data set: each default's test metric, then per budget the engine's median over seeds, its trials and overshoot, against the best default.</summary>
    public static string ToMarkdown(IReadOnlyList<QualityRow> rows)
    {
        var text = new StringBuilder();
        foreach (var group in rows.GroupBy(r => r.Dataset))
        {
            var defaults = group.Where(r => r.Budget == null).ToList();
            var bestDefault = defaults.MaxBy(r => r.TestMetric) ?? new QualityRow(group.Key, "none run", 0, null, double.NaN, 0, 0, "", null);
            text.AppendLine($"**{group.Key}** (test metric; higher is better). Defaults: " +
                string.Join(", ", defaults.Select(d => $"{d.Method} {d.TestMetric:F4} ({d.Seconds:F0} s)")) + ".");
            text.AppendLine();
            text.AppendLine("| budget | engine, median of seeds (each seed) | best default | difference | trials (median) | overshoot (worst) | ensemble kept |");
            text.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
            foreach (var budget in group.Where(r => r.Budget != null).GroupBy(r => r.Budget!.Value))
            {
                var runs = budget.OrderBy(r => r.Seed).ToList();
                double median = Median(runs.Select(r => r.TestMetric));
                double overshoot = runs.Max(r => r.Seconds / budget.Key - 1);
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {budget.Key:F0} s | {median:F4} ({string.Join(", ", runs.Select(r => r.TestMetric.ToString("F4", CultureInfo.InvariantCulture)))}) | " +
                    $"{bestDefault.TestMetric:F4} ({bestDefault.Method}) | {median - bestDefault.TestMetric:+0.0000;-0.0000} | {Median(runs.Select(r => (double)r.Trials)):F0} | " +
                    $"{overshoot:+0%;-0%} | {runs.Count(r => r.EnsembleKept == true)} of {runs.Count} |"));
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The first <paramref name="rows"/> Fashion-MNIST training images as a CSV table (784 pixel columns and the label), written once.</summary>
    public static string FashionMnistTable(string folder, int rows, string path)
    {
        if (File.Exists(path)) return path;
        var images = Pipelines.Torch.Data.IdxReader.Read(System.IO.Path.Combine(folder, "train-images-idx3-ubyte.gz"), rows);
        var labels = Pipelines.Torch.Data.IdxReader.Read(System.IO.Path.Combine(folder, "train-labels-idx1-ubyte.gz"), rows);
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(',', Enumerable.Range(0, images.ItemSize).Select(i => $"p{i}")) + ",label");
        for (int r = 0; r < images.Count; r++)
            writer.WriteLine(string.Join(',', images.Data.AsSpan(r * images.ItemSize, images.ItemSize).ToArray()) + "," + labels.Data[r]);
        return path;
    }
}
