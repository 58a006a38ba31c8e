using Microsoft.ML;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Runs;

/// <summary>
/// One invocation's work on a run, new or resumed: load the data, run the experiment on study.db with the progress
/// display, then write the output folder and print the summary. Ctrl+C ends it once the running trials have
/// stopped: everything finished is in study.db, and resume continues from there.
/// </summary>
internal static class TrainingSession
{
    /// <param name="loaded">The data, when the command has already loaded it to check it; else it is loaded here.</param>
    public static async Task<int> RunAsync(RunSettings settings, OutputFolder folder, Func<IReadOnlyList<TrialRecord>, RunBudget> budgetFor,
        Reporter reporter, ReportHook report, CancellationToken cancellation, InputData? loaded = null)
    {
        var ml = new MLContext(settings.Seed);
        var data = loaded ?? InputData.Load(ml, settings, reporter.Warning);
        data.Describe(reporter);

        using var storage = new SqliteStudyStorage(folder.StudyDb);
        var earlier = storage.GetStudy(settings.Name) is null ? Array.Empty<TrialRecord>() : storage.GetTrials(settings.Name);
        var budget = budgetFor(earlier);
        var direction = MetricCatalog.DirectionOf(settings.Task, settings.Metric);
        var progress = new RunProgress(direction, budget, earlier);
        progress.Listen(new ProgressLines(reporter, progress, settings.Metric));
        var experiment = ExperimentFactory.Create(ml, settings, data, budget, progress, storage, reporter.Warning);
        reporter.Info($"Searching {string.Join(", ", settings.Trainers)} for the best validation {settings.Metric} " +
            $"({budget.Describe()}; tuner {settings.Tuner}, pruner {settings.Pruner}). Ctrl+C stops; `pipelines resume` continues.");

        using var stopping = cancellation.Register(() =>
            reporter.Info($"Stopping: waiting for {progress.RunningCount} running trial(s) to stop. Ctrl+C again quits at once (resume then runs them again)."));
        var run = experiment.RunAsync(cancellation);
        var ended = WaitForEnd(run, progress, cancellation);
        if (reporter.Terminal.IsInteractive && reporter.Verbosity > Verbosity.Quiet)
        {
            reporter.ConsoleSuspended = true;
            try
            {
                await LiveView.ShowUntil(reporter.Terminal.Out, progress, settings.Metric, ended,
                    () => cancellation.IsCancellationRequested ? $"stopping: {progress.RunningCount} trial(s) still running; Ctrl+C again quits at once" : null);
            }
            finally
            {
                reporter.ConsoleSuspended = false;
            }
        }
        await ended;

        if (cancellation.IsCancellationRequested) return Interrupted(settings, folder, storage, report, reporter);
        ExperimentResult result;
        try
        {
            result = await run;
        }
        catch (AutoMLException e)
        {
            WriteStudyFiles(settings, folder, storage, report, reporter);
            var message = e.Message.Contains("Give the experiment more time.", StringComparison.Ordinal)
                ? e.Message.Replace("Give the experiment more time.", "Give it more time with --train-time.", StringComparison.Ordinal)
                : e.Message + $" Each trial's error is in {folder.Leaderboard}.";
            throw new CliException(ExitCodes.NoModel, message);
        }
        return Finish(ml, settings, folder, data, result, progress.Elapsed, storage, report, reporter);
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

    static int Finish(MLContext ml, RunSettings settings, OutputFolder folder, InputData data, ExperimentResult result, TimeSpan elapsed,
        SqliteStudyStorage storage, ReportHook report, Reporter reporter)
    {
        var best = result.Best;
        double? testMetric = null;
        if (data.Test != null)
        {
            try
            {
                testMetric = MetricCatalog.Evaluate(ml, settings.Task, settings.Metric, best.Model.Transform(data.Test), ExperimentFactory.LabelColumn);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                // A test file with one class has no AUC, for example; the model is still good to write.
                reporter.Warning($"The best model could not be evaluated on {settings.TestDataset}: {e.Message}");
            }
        }
        var (saved, onnx) = ModelFiles.Write(ml, best.Model, data.Train, settings.Task, data.ClassNames, folder);
        var trainer = best.Record.Trainer ?? "";
        Directory.CreateDirectory(folder.ConsoleApp(settings.Name));
        data.WriteConsumptionCode(folder.ConsumptionExample(settings.Name), settings, saved, trainer);
        ConsoleProject.Write(folder.ConsoleProject(settings.Name), settings.Command, AppPackages.For(trainer, settings.IsImageRun));
        var reportPath = StudyFiles.Write(folder, settings, storage.GetStudy(settings.Name)!, result.Trials, report, reporter, testMetric);
        new RunSummary
        {
            Settings = settings, Trials = result.Trials, Direction = result.Direction, Best = best.Record, Elapsed = elapsed, Folder = folder,
            Onnx = onnx, TestMetric = testMetric, ReportPath = reportPath, ClassNames = data.ClassNames,
        }.Print(reporter);
        return ExitCodes.Success;
    }

    static int Interrupted(RunSettings settings, OutputFolder folder, SqliteStudyStorage storage, ReportHook report, Reporter reporter)
    {
        int saved = WriteStudyFiles(settings, folder, storage, report, reporter);
        reporter.Result($"Stopped. {saved} trial(s) are saved in {folder.StudyDb}; continue with: pipelines resume --output \"{folder.Path}\"");
        return ExitCodes.Interrupted;
    }

    /// <summary>leaderboard.csv and trials.json from what the study holds; returns the trial count.</summary>
    static int WriteStudyFiles(RunSettings settings, OutputFolder folder, SqliteStudyStorage storage, ReportHook report, Reporter reporter)
    {
        var study = storage.GetStudy(settings.Name);
        if (study == null) return 0;
        var trials = storage.GetTrials(settings.Name);
        StudyFiles.Write(folder, settings, study, trials, report, reporter);
        return trials.Count;
    }
}
