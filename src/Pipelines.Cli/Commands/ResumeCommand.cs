using Pipelines.AutoML.Trials;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>
/// `pipelines resume`: continues a run from its folder. Settings come from settings.json, finished trials from
/// study.db (they re-feed the tuner); trials whose process died are re-run first.
/// </summary>
internal sealed class ResumeCommand(Terminal terminal, ReportHook report) : PipelinesCommand<ResumeSettings>(terminal)
{
    protected override async Task<int> Run(ResumeSettings options, Reporter reporter, CancellationToken cancellation)
    {
        RunBudget.CheckOptions(options.TrainTime, options.MaxTrials);
        var folder = OutputFolder.OfExistingRun(options.Output, "resume");
        FolderLock.ThrowIfHeld(folder.Path);
        var settings = SettingsFile.Read(folder.Settings);
        reporter.Info($"Resuming '{settings.Name}' in {folder.Path}: {settings.Command} on {settings.Dataset}" +
            (settings.IsImageRun ? "." : $", label '{settings.LabelColumn}'."));
        var plan = RunPlan.Create(settings, InputData.Load(new MLContext(settings.Seed), settings, reporter.Warning), reporter.Detail);
        using var owner = FolderLock.Take(folder.Path, "resume");
        return await TrainingSession.RunAsync(plan, folder, StudyLocation.Of(settings, folder), trials =>
        {
            var budget = RunBudget.ForResume(settings, trials, options.TrainTime, options.MaxTrials, folder.Path);
            var finished = trials.Count(t => t.IsFinished);
            var interrupted = trials.Count(t => t.Status == TrialStatus.Running);
            reporter.Info($"The study has {trials.Count} trial(s): {finished} finished" +
                (interrupted > 0 ? $", {interrupted} left running by a stopped process (re-run first)" : "") +
                $". This run: {budget.Describe()}.");
            return budget;
        }, reporter, report, cancellation);
    }
}
