using System.Diagnostics;
using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Storage;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>
/// `pipelines export`: writes a shared study's best model and files, from any machine that has the study's data. The
/// best configuration is trained again with its recorded seed (models are not kept in the database: see
/// docs/distributed.md), so no trial runs; like any worker, opening the study fails trials of workers whose
/// heartbeat has stopped.
/// </summary>
internal sealed class ExportCommand(Terminal terminal, ReportHook report) : PipelinesCommand<ExportSettings>(terminal)
{
    protected override async Task<int> Run(ExportSettings options, Reporter reporter, CancellationToken cancellation)
    {
        var shared = SharedStudy.Find(options.Storage, options.Study);
        var settings = shared.Settings;
        StudyManifest.Check(shared.Study, settings);
        var folder = new OutputFolder(options.Output);
        folder.CheckFreeForNewRun(options.Force);
        var ml = new MLContext(settings.Seed);
        var plan = RunPlan.Create(settings, InputData.Load(ml, settings, reporter.Warning), reporter.Detail);
        using var owner = folder.ClaimForNewRun(options.Force, "export");
        SettingsFile.Write(folder.Settings, settings);

        using var storage = StudyLocation.Open(shared.Location);
        var trials = storage.GetTrials(settings.StudyName);
        var budget = new RunBudget(null, 0);
        var progress = new RunProgress(MetricCatalog.DirectionOf(settings.Task, settings.Metric), budget, trials);
        reporter.Info($"Exporting the best of the {trials.Count} trial(s) of study '{settings.StudyName}' in " +
            $"{StudyStorageFactory.Describe(shared.Location)}: training it again with its recorded seed.");
        var clock = Stopwatch.StartNew();
        var result = await ExperimentFactory.Create(ml, plan, budget, progress, storage).SetEnsemble(false).RunAsync(cancellation);
        return new StudyWriter(settings, folder, storage, report, reporter).Finished(ml, plan.Data, result, clock.Elapsed);
    }
}
