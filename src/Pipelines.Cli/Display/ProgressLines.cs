using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Trials;
using Pipelines.Torch.Training;

namespace Pipelines.Cli.Display;

/// <summary>
/// The run as plain lines, one per event: the console's progress when output is redirected (CI, logs), and the
/// log file's record in every case. Finished trials at minimal verbosity; starts and epochs at diagnostic.
/// </summary>
internal sealed class ProgressLines(Reporter reporter, RunProgress progress, string metric) : IMonitor
{
    // The experiment announces a new best just before the trial's completion: it is marked on that trial's line.
    int _newBest = -1;

    string Time => "[" + Format.Clock(progress.Elapsed) + "]";

    public void ReportRunningTrial(TrialRecord trial) =>
        reporter.Detail($"{Time} trial {trial.Id} started: {trial.Trainer} {trial.Parameters.ToJson()}");

    public void ReportEpoch(TrialRecord trial, EpochReport epoch) =>
        reporter.Detail($"{Time} trial {trial.Id} epoch {epoch.Epoch}/{epoch.PlannedEpochs}: val {Format.Metric(epoch.ValidationMetric)}, " +
            $"train {Format.Metric(epoch.TrainMetric)}, gap {Format.Gap(epoch.GeneralizationGap)}, lr {Format.Rate(epoch.LearningRate)}, {Format.Seconds(epoch.Seconds)}");

    public void ReportCompletedTrial(TrialRecord trial) => Finished(trial);

    public void ReportPrunedTrial(TrialRecord trial) => Finished(trial);

    public void ReportFailTrial(TrialRecord trial, Exception? exception)
    {
        Finished(trial);
        if (exception != null) reporter.Detail(exception.ToString());
    }

    public void ReportBestTrial(TrialRecord trial) => Volatile.Write(ref _newBest, trial.Id);

    void Finished(TrialRecord trial)
    {
        var row = TrialRow.From(trial);
        var details = new List<string>();
        if (row.BatchSize is { } batch) details.Add($"batch {batch}");
        if (row.EpochsRun is { } epochs) details.Add($"epochs {epochs}");
        if (row.LearningRate is { } rate) details.Add($"lr {Format.Rate(rate)}");
        if (row.WeightDecay is { } decay) details.Add($"wd {Format.Rate(decay)}");
        var metrics = trial.Status == TrialStatus.Completed
            ? $"{metric} {Format.Metric(row.ValidationMetric)} (train {Format.Metric(row.TrainMetric)}, gap {Format.Gap(row.Gap)})"
            : row.Error ?? "";
        reporter.Info($"{Time} trial {trial.Id} {row.Trainer} {row.Status} in {Format.Seconds(row.DurationSeconds)}: {metrics}" +
            (details.Count > 0 ? $" [{string.Join(", ", details)}]" : "") + (Volatile.Read(ref _newBest) == trial.Id ? "  <- new best" : ""));
    }
}
