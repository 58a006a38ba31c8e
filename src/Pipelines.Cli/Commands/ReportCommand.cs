using Pipelines.AutoML.Storage;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>`pipelines report`: rebuilds the files made from the study (leaderboard.csv, trials.json, report.html) without training.</summary>
internal sealed class ReportCommand(Terminal terminal, ReportHook report) : PipelinesCommand<ReportSettings>(terminal)
{
    protected override Task<int> Run(ReportSettings options, Reporter reporter, CancellationToken cancellation)
    {
        var folder = OutputFolder.OfExistingRun(options.Output, "report on");
        var settings = SettingsFile.Read(folder.Settings);
        if (settings.Storage is null && !File.Exists(folder.StudyDb))
            throw CliException.Input($"{folder.Path} has no study.db: the run stopped before its first trial. Continue it with `pipelines resume --output {folder.Path}`.");
        var location = StudyLocation.Of(settings, folder);
        using var storage = StudyLocation.OpenToRead(location);
        var study = storage.GetStudy(settings.StudyName)
            ?? throw CliException.Input($"{StudyStorageFactory.Describe(location)} holds no study named '{settings.StudyName}' (it has: {string.Join(", ", storage.GetStudyNames())}).");
        var trials = storage.GetTrials(settings.StudyName);
        var reportPath = StudyFiles.Write(folder, settings, study, trials, report, reporter.Warning);
        reporter.Result($"Rebuilt {folder.Leaderboard} and {folder.TrialsJson} from the {trials.Count} trial(s) in {StudyStorageFactory.Describe(location)}.");
        if (reportPath != null) reporter.Result($"Report: {reportPath}");
        else reporter.Warning("report.html was not written: this build of pipelines has no report writer.");
        return Task.FromResult(ExitCodes.Success);
    }
}
