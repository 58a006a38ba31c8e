using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Storage;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>What a session writes when its experiment ends: everything after a finished run, the study's files after an interrupted or failed one.</summary>
internal sealed class StudyWriter(RunSettings settings, OutputFolder folder, IStudyStorage storage, ReportHook report, Reporter reporter)
{
    /// <summary>The model, its ONNX form, the consumption project and the study's files; then the summary.</summary>
    public int Finished(MLContext ml, InputData data, ExperimentResult result, TimeSpan elapsed)
    {
        var best = result.Best;
        double? testMetric = TestMetric(ml, data, best.Model);
        var (saved, onnx) = ModelFiles.Write(ml, best.Model, data.Train, settings.Task, data.ClassNames, folder);
        var winner = WinningModel.Of(best.Record, result.Trials);
        Directory.CreateDirectory(folder.ConsoleApp(settings.Name));
        var program = folder.ConsumptionExample(settings.Name);
        switch (data)
        {
            case TableInput table: ConsumptionCode.Write(program, settings, table.Columns, table.Train, saved, winner); break;
            case ImageInput images: ImageConsumptionCode.Write(program, settings, images.Images, saved, winner); break;
        }
        ConsoleProject.Write(folder.ConsoleProject(settings.Name), settings.Command, AppPackages.For(winner, settings.IsImageRun));
        var reportPath = StudyFiles.Write(folder, settings, result.Study, result.Trials, report, reporter.Warning, testMetric);
        new RunSummary
        {
            Settings = settings, Trials = result.Trials, Direction = result.Direction, Best = best.Record, Elapsed = elapsed, Folder = folder,
            Onnx = onnx, TestMetric = testMetric, ReportPath = reportPath, ClassNames = data.ClassNames, Ensemble = result.Ensemble,
            Refitted = best.Refitted, RefittedTrialIds = best.RefittedTrialIds, RefitStopped = best.RefitStopped, DefaultChoice = result.DefaultChoice,
        }.Print(reporter);
        return ExitCodes.Success;
    }

    public int Interrupted()
    {
        int saved = WriteStudyFiles();
        reporter.Result($"Stopped. {saved} trial(s) are saved in {settings.Storage ?? folder.StudyDb}; continue with: pipelines resume --output \"{folder.Path}\"");
        return ExitCodes.Interrupted;
    }

    /// <summary>leaderboard.csv and trials.json from what the study holds; returns the trial count.</summary>
    public int WriteStudyFiles()
    {
        var study = storage.GetStudy(settings.StudyName);
        if (study == null) return 0;
        var trials = storage.GetTrials(settings.StudyName);
        StudyFiles.Write(folder, settings, study, trials, report, reporter.Warning);
        return trials.Count;
    }

    /// <summary>The best model's metric on --test-dataset; a test file it cannot be evaluated on is a warning, not a failed run.</summary>
    double? TestMetric(MLContext ml, InputData data, ITransformer model)
    {
        if (data.Test == null) return null;
        try
        {
            return MetricCatalog.Evaluate(ml, settings.Task, settings.Metric, model.Transform(data.Test), ExperimentFactory.LabelColumn);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // A test file with one class has no AUC, for example; the model is still good to write.
            reporter.Warning($"The best model could not be evaluated on {settings.TestDataset}: {e.Message}");
            return null;
        }
    }
}
