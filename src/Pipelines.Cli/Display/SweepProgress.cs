using System.Diagnostics;
using Pipelines.Torch.BatchSize;
using Pipelines.Torch.Training;

namespace Pipelines.Cli.Display;

/// <summary>
/// A batch-size sweep as it runs: the finished runs, the running one and its last epoch, for the live display; and a
/// plain line per finished run (minimal verbosity) and per epoch (diagnostic), for redirected output and the log.
/// Called from the training thread, read from the display's: every access is under one lock.
/// </summary>
internal sealed class SweepProgress(Reporter reporter) : IProgress<BatchSizeSweepProgress>
{
    readonly object _gate = new();
    readonly List<BatchSizeRun> _finished = new();
    readonly Stopwatch _clock = Stopwatch.StartNew();
    BatchSizeSweepProgress? _current;
    EpochReport? _epoch;

    public TimeSpan Elapsed => _clock.Elapsed;

    public sealed record Snapshot(TimeSpan Elapsed, IReadOnlyList<BatchSizeRun> Finished, BatchSizeSweepProgress? Running, EpochReport? Epoch);

    public Snapshot Current()
    {
        lock (_gate) return new Snapshot(_clock.Elapsed, _finished.ToList(), _current, _epoch);
    }

    public void Report(BatchSizeSweepProgress p)
    {
        string time = "[" + Format.Clock(_clock.Elapsed) + "]";
        lock (_gate)
        {
            if (p.Finished is { } run)
            {
                _finished.Add(run);
                _current = null;
                _epoch = null;
            }
            else if (p.Epoch is { } epoch) _epoch = epoch;
            else
            {
                _current = p;
                _epoch = null;
            }
        }
        if (p.Finished is { } done)
            reporter.Info($"{time} run {p.Run}/{p.Runs}: batch {p.BatchSize}, lr {Format.Rate(p.LearningRate)}: {Describe(done)}");
        else if (p.Epoch is { } e)
            reporter.Detail($"{time} run {p.Run}/{p.Runs} batch {p.BatchSize} epoch {e.Epoch}/{e.PlannedEpochs}: val loss {Format.Metric(e.ValidationLoss)}, " +
                $"val {Format.Metric(e.ValidationMetric)}, train {Format.Metric(e.TrainMetric)}, gap {Format.Gap(e.GeneralizationGap)}, B_simple {Format.Integer(Round(e.GradientNoiseScale))}");
        else
            reporter.Detail($"{time} run {p.Run}/{p.Runs} started: batch {p.BatchSize}, lr {Format.Rate(p.LearningRate)}");
    }

    public static string Describe(BatchSizeRun run)
    {
        var last = run.Checkpoints.Count > 0 ? run.Checkpoints[^1] : null;
        return $"{StopText(run.Report.StopReason)} after {run.Report.TotalOptimizerSteps:N0} steps ({Format.Seconds(last?.Seconds ?? 0)}), " +
               $"lowest val loss {Format.Metric(run.LowestValidationLoss)}, {run.SamplesPerSecond:N0} samples/s";
    }

    static string StopText(StopReason reason) => reason switch
    {
        StopReason.TargetReached => "reached the target",
        StopReason.BudgetSpent => "time spent",
        StopReason.EarlyStopped => "past its lowest loss",
        StopReason.Diverged => "diverged",
        StopReason.Cancelled => "stopped",
        _ => "all epochs",
    };

    public static int? Round(double? value) => value is { } v && double.IsFinite(v) && Math.Abs(v) < int.MaxValue ? (int)Math.Round(v) : null;
}
