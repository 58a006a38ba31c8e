using Pipelines.AutoML.Storage;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>
/// `pipelines worker`: joins a study that a search started with --storage and --study, and runs trials of it with the
/// study's own settings and data (checked against the study's checksums) until its budget ends. Any number of workers,
/// on any machines that reach the database, run one study; docs/distributed.md.
/// </summary>
internal sealed class WorkerCommand(Terminal terminal, ReportHook report) : PipelinesCommand<WorkerSettings>(terminal)
{
    protected override async Task<int> Run(WorkerSettings options, Reporter reporter, CancellationToken cancellation)
    {
        RunBudget.CheckOptions(options.TrainTime, options.MaxTrials);
        if (!(options.HeartbeatGrace > 0)) throw CliException.Input($"--heartbeat-grace {options.HeartbeatGrace}: must be positive.");
        var shared = SharedStudy.Find(options.Storage, options.Study);
        var budgetGiven = options.TrainTime != null || options.MaxTrials != null;
        var settings = shared.Settings with
        {
            TrainTimeSeconds = budgetGiven ? options.TrainTime : shared.Settings.TrainTimeSeconds,
            MaxTrials = budgetGiven ? options.MaxTrials : shared.Settings.MaxTrials,
        };
        var folder = new OutputFolder(options.Output ?? $"{settings.StudyName}-worker-{Environment.MachineName}-{Environment.ProcessId}");
        folder.CheckFreeForNewRun(options.Force);
        reporter.Info($"Joining study '{settings.StudyName}' in {StudyStorageFactory.Describe(shared.Location)}: {settings.Command} on {settings.Dataset}.");
        var plan = RunPlan.Create(settings, InputData.Load(new MLContext(settings.Seed), settings, reporter.Warning), reporter.Detail);
        StudyLocation.CheckJoinable(shared.Location, settings);
        using var owner = folder.ClaimForNewRun(options.Force, "worker");
        SettingsFile.Write(folder.Settings, settings);
        return await TrainingSession.RunAsync(plan, folder, shared.Location, _ => RunBudget.ForNewRun(settings), reporter, report, cancellation,
            WorkerRole.Joining(options.HeartbeatGrace));
    }
}
