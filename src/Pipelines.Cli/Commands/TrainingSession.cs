using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>
/// One invocation's work on a run, new or resumed, by the owner of its folder (<see cref="FolderLock"/>): run the experiment on study.db with the progress display, then
/// write the output folder and print the summary. Ctrl+C ends it once the running trials have stopped: everything
/// finished is in study.db, and resume continues from there.
/// </summary>
internal static class TrainingSession
{
    public static async Task<int> RunAsync(RunPlan plan, OutputFolder folder, string storageLocation, Func<IReadOnlyList<TrialRecord>, RunBudget> budgetFor,
        Reporter reporter, ReportHook report, CancellationToken cancellation, WorkerRole? worker = null)
    {
        var settings = plan.Settings;
        var ml = new MLContext(settings.Seed);
        DataDescription.Describe(plan.Data, reporter);

        using var storage = StudyLocation.Open(storageLocation, StudyDb.Options(worker?.HeartbeatGrace));
        var study = storage.GetStudy(settings.StudyName);
        if (settings.Storage is not null) reporter.Info($"Study '{settings.StudyName}' in {StudyStorageFactory.Describe(storageLocation)}.");
        var earlier = study is null ? Array.Empty<TrialRecord>() : storage.GetTrials(settings.StudyName);
        var budget = budgetFor(earlier);
        // A study in the output folder: the caller holds the folder's lock (FolderLock), so no live process works on it
        // and a trial still Running was left by one that is gone, however fresh its heartbeat. A shared study's other
        // workers are told apart by their heartbeats instead.
        if (earlier.Count > 0 && settings.Storage is null) storage.RecoverInterruptedTrials(settings.StudyName, TimeSpan.Zero);
        var progress = new RunProgress(MetricCatalog.DirectionOf(settings.Task, settings.Metric), budget, earlier);
        progress.Listen(new ProgressLines(reporter, progress, settings.Metric));
        var experiment = ExperimentFactory.Create(ml, plan, budget, progress, storage);
        if (worker is not null)
        {
            experiment.SetHeartbeatInterval(worker.HeartbeatGrace / 4).SetTunerSeed(worker.TunerSeed);
            reporter.Detail($"Worker: heartbeat grace {worker.HeartbeatGrace.TotalSeconds:0.#} s, tuner seed {worker.TunerSeed}.");
        }
        reporter.Info($"Searching {string.Join(", ", settings.Trainers)} for the best validation {settings.Metric} " +
            $"({budget.Describe()}; tuner {settings.Tuner}, pruner {settings.Pruner}). Ctrl+C stops; `pipelines resume` continues.");

        using var stopping = cancellation.Register(() =>
            reporter.Info($"Stopping: waiting for {progress.RunningCount} running trial(s) to stop. Ctrl+C again quits at once (resume then runs them again)."));
        var run = experiment.RunAsync(cancellation);
        await ShowUntilEnd(run, progress, reporter, settings.Metric, cancellation);

        var files = new StudyWriter(settings, folder, storage, report, reporter);
        if (cancellation.IsCancellationRequested) return files.Interrupted();
        ExperimentResult result;
        try
        {
            result = await run;
        }
        catch (AutoMLException e)
        {
            files.WriteStudyFiles();
            var message = e.Message.Contains("Give the experiment more time.", StringComparison.Ordinal)
                ? e.Message.Replace("Give the experiment more time.", "Give it more time with --train-time.", StringComparison.Ordinal)
                : e.Message + $" Each trial's error is in {folder.Leaderboard}.";
            throw new CliException(ExitCodes.NoModel, message);
        }
        int code = files.Finished(ml, plan.Data, result, progress.Elapsed);
        if (result.StorageFault is { } fault) throw StoppedByStorage(fault, result, folder);
        return code;
    }

    /// <summary>A run the study could no longer record: its files are written from what it had, and it ends with exit 1 naming the cause.</summary>
    static CliException StoppedByStorage(Exception fault, ExperimentResult result, OutputFolder folder) =>
        new(ExitCodes.InputError,
            $"The search stopped early because the study could not be written: {fault.Message} " +
            $"{folder.ModelZip}, the leaderboard and the report were written from the {result.Trials.Count(t => t.IsFinished)} trial(s) finished before. " +
            $"Once nothing else holds {folder.StudyDb}, continue with `pipelines resume --output {folder.Path}`.");

    /// <summary>The live view while the run lasts, on an interactive terminal; plain progress lines otherwise.</summary>
    static async Task ShowUntilEnd(Task run, RunProgress progress, Reporter reporter, string metric, CancellationToken cancellation)
    {
        var ended = WaitForEnd(run, progress, cancellation);
        if (reporter.Terminal.IsInteractive && reporter.Verbosity > Verbosity.Quiet)
        {
            reporter.ConsoleSuspended = true;
            try
            {
                await LiveView.ShowUntil(reporter.Terminal.Out, progress, metric, ended,
                    () => cancellation.IsCancellationRequested ? $"stopping: {progress.RunningCount} trial(s) still running; Ctrl+C again quits at once" : null);
            }
            finally
            {
                reporter.ConsoleSuspended = false;
            }
        }
        await ended;
    }

    /// <summary>
    /// Completes when the experiment ends, or, after Ctrl+C, when no trial runs any more: every trial is then final in
    /// study.db, and what the experiment still does (building its result, maybe retraining) an interrupted run does not need.
    /// </summary>
    static async Task WaitForEnd(Task run, RunProgress progress, CancellationToken cancellation)
    {
        while (!run.IsCompleted)
        {
            if (cancellation.IsCancellationRequested && progress.RunningCount == 0)
            {
                await Task.WhenAny(run, Task.Delay(500));
                return;
            }
            await Task.WhenAny(run, Task.Delay(100));
        }
    }
}
