using Pipelines.Cli.Display;
using Pipelines.Reports;
using Pipelines.Torch.BatchSize;

namespace Pipelines.Cli.Commands;

/// <summary>
/// `pipelines batch-size`: trains one network at each batch size to a validation-loss target, measuring steps,
/// examples, time, throughput, the gap and the gradient noise scale; fits the critical batch size; recommends a batch
/// size; writes batch-size.csv, batch-size.json and report.html. Options and data are checked before training, and
/// nothing is written until the sweep has finished.
/// </summary>
internal sealed class BatchSizeCommand(Terminal terminal) : PipelinesCommand<BatchSizeSettings>(terminal)
{
    static readonly double[] SearchFactors = { 0.5, 1, 2 };

    protected override async Task<int> Run(BatchSizeSettings o, Reporter reporter, CancellationToken cancellation)
    {
        if (!(o.TrainTime > 0) || !double.IsFinite(o.TrainTime)) throw CliException.Input($"--train-time {o.TrainTime}: the time budget must be a positive number of seconds.");
        if (o.MaxEpochs < 1) throw CliException.Input($"--max-epochs {o.MaxEpochs}: at least one epoch.");
        if (o.Target is { } t && !(t > 0 && double.IsFinite(t))) throw CliException.Input($"--target {t}: the validation loss to reach must be a positive number.");
        var batchSizes = BatchSizeList.Parse(o.BatchSizes);
        var folder = new SweepFolder(o.Output ?? BatchSizeSettings.DefaultName);
        folder.CheckFree(o.Force);

        var setup = SweepSetup.Create(o, reporter.Warning);
        DataDescription.Describe(setup.Data, reporter);
        if (setup.Trial is { } trial) reporter.Info($"Network and optimizer of trial {trial.Id} ({trial.Candidate.Name}) of the study in {trial.Folder}.");
        reporter.Info($"Sweeping batch sizes {string.Join(", ", batchSizes)} with {setup.Trainer}: {setup.Network}; learning rate by the optimizer's scaling rule" +
            (o.SearchLearningRate ? ", x 0.5, x 1 and x 2 tried at each batch size" : "") +
            $"; {o.TrainTime.ToString("0", CultureInfo.InvariantCulture)} s of training in all, at most {o.MaxEpochs} epochs a run. Ctrl+C stops (nothing is written).");

        var progress = new SweepProgress(reporter);
        var sweep = new BatchSizeSweepOptions
        {
            BatchSizes = batchSizes,
            TargetLoss = o.Target,
            TrainTimeSeconds = o.TrainTime,
            MaxEpochs = o.MaxEpochs,
            LearningRateSelection = o.SearchLearningRate ? LearningRateSelection.Search : LearningRateSelection.ScalingRule,
            LearningRateFactors = SearchFactors,
            Progress = progress,
            CancellationToken = cancellation,
        };
        var run = Task.Run(() => setup.Run(sweep), CancellationToken.None);
        await ShowUntilEnd(run, progress, reporter, cancellation);
        BatchSizeSweepResult result;
        try
        {
            result = await run;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            reporter.Error($"Stopped after {progress.Current().Finished.Count} run(s); nothing was written.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The data or the settings: rows the trainer cannot read, no validation rows, every run diverging.
            throw CliException.Input(e.Message);
        }

        folder.Prepare(o.Force);
        var files = BatchSizeReport.Write(folder.Path, new BatchSizeReportInput
        {
            Title = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(o.Dataset))),
            Result = result,
            Settings = ReportSettings(o, setup, progress.Elapsed),
        });
        SweepSummary.Show(reporter, result);
        reporter.Result($"Wrote {files.CsvPath}, {files.JsonPath} and {files.HtmlPath}.");
        return ExitCodes.Success;
    }

    static Dictionary<string, string> ReportSettings(BatchSizeSettings o, SweepSetup setup, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var settings = new Dictionary<string, string>
        {
            ["dataset"] = Path.GetFullPath(o.Dataset),
            ["trainer"] = $"{setup.Trainer}: {setup.Network}",
            ["budget"] = $"{o.TrainTime.ToString("0", inv)} s of training, at most {o.MaxEpochs} epochs a run",
            ["seed"] = o.Seed.ToString(inv),
            ["wall time"] = Format.Seconds(elapsed.TotalSeconds),
        };
        if (setup.Trial is { } trial) settings["from study"] = $"trial {trial.Id} of {trial.Folder}";
        if (o.ValidationDataset != null) settings["validation"] = Path.GetFullPath(o.ValidationDataset);
        return settings;
    }

    /// <summary>The live view while the sweep lasts, on an interactive terminal; plain progress lines otherwise.</summary>
    static async Task ShowUntilEnd(Task run, SweepProgress progress, Reporter reporter, CancellationToken cancellation)
    {
        if (reporter.Terminal.IsInteractive && reporter.Verbosity > Verbosity.Quiet)
        {
            reporter.ConsoleSuspended = true;
            try
            {
                await SweepLiveView.ShowUntil(reporter.Terminal.Out, progress, run,
                    () => cancellation.IsCancellationRequested ? "stopping after the running step" : null);
            }
            finally
            {
                reporter.ConsoleSuspended = false;
            }
        }
        try
        {
            await run;
        }
        catch
        {
            // Observed by the caller.
        }
    }
}
