using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Pipelines.Torch;
using Pipelines.Torch.Trainers;

namespace Pipelines.Bench;

/// <summary>How a throughput run is sized.</summary>
sealed record ThroughputSettings
{
    public required int[] BatchSizes { get; init; }
    /// <summary>Rounds per batch size; each round runs the trainer and the hand-written loop once, in alternating order.</summary>
    public int Rounds { get; init; } = 4;
    /// <summary>Epochs per round are chosen so one side's round lasts about this long...</summary>
    public double SecondsPerRound { get; init; } = 1.5;
    /// <summary>...within these bounds.</summary>
    public int MinEpochs { get; init; } = 3;
    public int MaxEpochs { get; init; } = 40;
    /// <summary>
    /// A round counts as clean when other processes took at most this share of the machine during it: the cores our
    /// threads leave free, less a margin, and never under 10%. With every core in use, any other process stalls
    /// LibTorch's OpenMP regions (slowdowns of 15x and more were seen on 2 cores).
    /// </summary>
    public double MaxOthersShare => Math.Max(0.10, (Environment.ProcessorCount - Threads) / (double)Environment.ProcessorCount - 0.10);
    /// <summary>Before each round, wait at most this long for the machine to be quiet.</summary>
    public TimeSpan QuietWait { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Tries per side and round when other processes disturbed it.</summary>
    public int Attempts { get; init; } = 3;
    /// <summary>LibTorch intra-op threads for both sides (the trainer's NumberOfThreads, torch.set_num_threads for the loop).</summary>
    public int Threads { get; init; } = 1;
    public int[] Hidden { get; init; } = { 64, 64 };
    public double LearningRate { get; init; } = 1e-3;
    public int Seed { get; init; } = 1;
    /// <summary>Noise floor: the hand-written loop takes the trainer's place, so every ratio should be 1 up to noise.</summary>
    public bool SelfCheck { get; init; }
    /// <summary>Overhead of the gradient noise scale: the trainer with MeasureGradientNoiseScale on takes the "trainer" side, the trainer with it off the other.</summary>
    public bool NoiseScale { get; init; }
    /// <summary>The names of the two sides in the log and the table.</summary>
    public (string Measured, string Reference) Sides => NoiseScale ? ("noise scale on", "noise scale off") : ("trainer", "hand-written");
}

/// <summary>
/// One batch size on one dataset. Samples per second are the median (and the best) epoch over the clean rounds
/// (all rounds if none was clean); Fit seconds is the median whole-Fit wall time of those trainer rounds.
/// </summary>
sealed record ThroughputRow(string Dataset, int BatchSize, bool FullBatch, int Epochs, int Rounds,
    double TrainerSamplesPerSecond, double HandWrittenSamplesPerSecond,
    double TrainerBest, double HandWrittenBest, double FitSeconds, int TrainerCleanRounds, int HandWrittenCleanRounds)
{
    public double Ratio => TrainerSamplesPerSecond / HandWrittenSamplesPerSecond;
    public double BestRatio => TrainerBest / HandWrittenBest;
}

/// <summary>
/// Training throughput of <c>TorchMlp</c> through its public ML.NET API against <see cref="HandWrittenLoop"/>, per
/// batch size. The trainer runs with ValidationFraction = 0 (pure training: no validation split, no validation pass)
/// and is read from its per-epoch <see cref="Pipelines.Torch.Training.EpochReport.SamplesPerSecond"/>, which times
/// the epoch's shuffle and optimizer steps and excludes the per-epoch evaluation; the whole Fit is timed as well.
/// Both sides use the same LibTorch thread count, the same rows and the same batch size.
/// </summary>
static class ThroughputBenchmark
{
    public static List<ThroughputRow> Run(IReadOnlyList<BenchDataset> datasets, ThroughputSettings s, TextWriter log)
    {
        // Process-wide warm-up (JIT tiers, LibTorch and ONNX Runtime loading) before anything is measured.
        var first = datasets[0];
        var warmContext = new MLContext(seed: s.Seed);
        FitTrainer(warmContext, first.ToDataView(warmContext), first, 64, epochs: 3, s);
        HandWrittenLoop.Run(first, s.Hidden, 64, 3, s.LearningRate, s.Threads, s.Seed);

        var rows = new List<ThroughputRow>();
        foreach (var data in datasets)
        {
            var ml = new MLContext(seed: s.Seed);
            var view = data.ToDataView(ml);
            foreach (int batch in s.BatchSizes)
            {
                // Warm-up at this batch size; its hand-written epoch sizes the rounds.
                FitTrainer(ml, view, data, batch, epochs: 1, s);
                double epochSeconds = data.Rows / HandWrittenLoop.Run(data, s.Hidden, batch, 1, s.LearningRate, s.Threads, s.Seed)[0];
                int epochs = Math.Clamp((int)Math.Ceiling(s.SecondsPerRound / epochSeconds), s.MinEpochs, s.MaxEpochs);

                var trainer = new List<Round>();
                var handWritten = new List<Round>();
                for (int round = 0; round < s.Rounds; round++)
                {
                    void Trainer() => trainer.Add(Measure(s, () => s.SelfCheck
                        ? (HandWrittenLoop.Run(data, s.Hidden, batch, epochs, s.LearningRate, s.Threads, s.Seed), 0)
                        : FitTrainer(ml, view, data, batch, epochs, s, measureNoiseScale: s.NoiseScale)));
                    void HandWritten() => handWritten.Add(Measure(s, () => s.NoiseScale
                        ? FitTrainer(ml, view, data, batch, epochs, s, measureNoiseScale: false)
                        : (HandWrittenLoop.Run(data, s.Hidden, batch, epochs, s.LearningRate, s.Threads, s.Seed), 0)));
                    if (round % 2 == 0) { Trainer(); HandWritten(); } else { HandWritten(); Trainer(); }
                }

                var t = Clean(trainer, s);
                var h = Clean(handWritten, s);
                var row = new ThroughputRow(data.Name, batch, batch >= data.Rows, epochs, s.Rounds,
                    Median(t.SelectMany(r => r.SamplesPerSecond)), Median(h.SelectMany(r => r.SamplesPerSecond)),
                    t.SelectMany(r => r.SamplesPerSecond).Max(), h.SelectMany(r => r.SamplesPerSecond).Max(),
                    Median(t.Select(r => r.Seconds)), trainer.Count(r => r.OthersShare <= s.MaxOthersShare),
                    handWritten.Count(r => r.OthersShare <= s.MaxOthersShare));
                rows.Add(row);
                var (a, b) = s.Sides;
                log.WriteLine($"{row.Dataset,-20} batch {batch,5} x{epochs,3} epochs  {a} {row.TrainerSamplesPerSecond,10:N0}/s  " +
                              $"{b} {row.HandWrittenSamplesPerSecond,10:N0}/s  ratio {row.Ratio:F3} (best {row.BestRatio:F3})  " +
                              $"fit {row.FitSeconds:F2}s  others' CPU per round: {a} {Shares(trainer)}, {b} {Shares(handWritten)}");
            }
        }
        return rows;
    }

    /// <summary>One side's round: per-epoch samples/s, the trainer's Fit seconds, and others' share of the machine meanwhile.</summary>
    sealed record Round(double[] SamplesPerSecond, double Seconds, double OthersShare);

    /// <summary>Runs one side once the machine is quiet; a round that others disturbed is retried, up to <see cref="ThroughputSettings.Attempts"/> tries (the least disturbed is kept).</summary>
    static Round Measure(ThroughputSettings s, Func<(double[] SamplesPerSecond, double Seconds)> run)
    {
        Round? best = null;
        for (int attempt = 0; attempt < s.Attempts; attempt++)
        {
            Settle();
            CpuMonitor.WaitForQuiet(s.QuietWait);
            var monitor = CpuMonitor.Start();
            double[] samplesPerSecond;
            double seconds;
            try
            {
                (samplesPerSecond, seconds) = run();
            }
            catch (System.Runtime.InteropServices.ExternalException e)
            {
                // Seen once in TorchSharp's Adam.step (a Scalar freed during addcmul_); report it and try the round again.
                Console.Error.WriteLine($"LibTorch error in a measurement round, retrying it: {e.Message.Split('\n')[0]}");
                continue;
            }
            var round = new Round(samplesPerSecond, seconds, monitor.OthersShare());
            if (best is null || round.OthersShare < best.OthersShare) best = round;
            if (round.OthersShare <= s.MaxOthersShare) break;
        }
        return best ?? throw new InvalidOperationException($"Every one of {s.Attempts} attempts of a measurement round failed.");
    }

    static IReadOnlyList<Round> Clean(List<Round> rounds, ThroughputSettings s) =>
        rounds.Where(r => r.OthersShare <= s.MaxOthersShare).ToList() is { Count: > 0 } clean ? clean : rounds;

    static string Shares(IEnumerable<Round> rounds) => string.Join("/", rounds.Select(r => $"{r.OthersShare:P0}"));

    /// <summary>One Fit through the public catalog; returns each epoch's samples/s and the whole Fit's wall time.</summary>
    static (double[] SamplesPerSecond, double Seconds) FitTrainer(MLContext ml, IDataView view, BenchDataset data, int batch, int epochs, ThroughputSettings s,
        bool measureNoiseScale = false)
    {
        var options = new TorchMlpTrainer.Options
        {
            HiddenLayers = s.Hidden,
            BatchSize = batch,
            Epochs = epochs,
            LearningRate = s.LearningRate,
            ValidationFraction = 0,
            NumberOfThreads = s.Threads,
            Device = "cpu",
            Seed = s.Seed,
            MeasureGradientNoiseScale = measureNoiseScale,
        };
        var estimator = data.IsBinary
            ? ml.BinaryClassification.Trainers.TorchMlp(options)
            : ml.MulticlassClassification.Trainers.TorchMlp(options);
        var watch = Stopwatch.StartNew();
        var model = estimator.Fit(view);
        double seconds = watch.Elapsed.TotalSeconds;
        return (model.TrainingReport.Epochs.Select(e => e.SamplesPerSecond).ToArray(), seconds);
    }

    /// <summary>Collects garbage between measurements so finalizers of one side do not run inside the other's timing.</summary>
    static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static string ToMarkdown(IEnumerable<ThroughputRow> rows, double target = 0.9, (string Measured, string Reference)? sides = null)
    {
        var (a, b) = sides ?? ("trainer", "hand-written");
        string Title(string side) => char.ToUpperInvariant(side[0]) + side[1..];
        var sb = new StringBuilder();
        sb.AppendLine($"| Dataset | Batch size | Epochs x rounds | {Title(a)} samples/s | {Title(b)} samples/s | Ratio | Within {1 - target:P0} | Best-epoch ratio | {Title(a)} Fit s | Clean rounds ({a}/{b}) |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|:---:|---:|---:|:---:|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Dataset} | {r.BatchSize}{(r.FullBatch ? " (full batch)" : "")} | {r.Epochs} x {r.Rounds} | " +
                          $"{r.TrainerSamplesPerSecond:N0} | {r.HandWrittenSamplesPerSecond:N0} | {r.Ratio:F3} | {(r.Ratio >= target ? "yes" : "**no**")} | " +
                          $"{r.BestRatio:F3} | {r.FitSeconds:F2} | {r.TrainerCleanRounds}/{r.HandWrittenCleanRounds} of {r.Rounds} |");
        return sb.ToString();
    }
}
