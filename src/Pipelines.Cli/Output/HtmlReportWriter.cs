using Pipelines.AutoML.Experiment;
using Pipelines.Reports;

namespace Pipelines.Cli.Output;

/// <summary>Writes report.html and plots/*.png with Pipelines.Reports from a run's settings and study.</summary>
internal sealed class HtmlReportWriter : IReportWriter
{
    public string Write(string outputDirectory, StudyReportData study)
    {
        var s = study.Settings;
        var settings = new Dictionary<string, string>
        {
            ["dataset"] = s.Dataset,
            ["trainers"] = string.Join(", ", s.Trainers),
            ["tuner"] = s.Tuner,
            ["pruner"] = s.Fidelity == PruningFidelity.Examples ? $"{s.Pruner}, on examples seen" : s.Pruner,
            ["seed"] = s.Seed.ToString(CultureInfo.InvariantCulture),
            ["parallel trials"] = s.Parallel.ToString(CultureInfo.InvariantCulture),
            ["device"] = s.Device,
        };
        if (s.TrainTimeSeconds is { } seconds) settings["time budget"] = $"{seconds:F0} s";
        if (s.MaxTrials is { } trials) settings["max trials"] = trials.ToString(CultureInfo.InvariantCulture);
        if (s.BatchSizes != null) settings["batch sizes"] = s.BatchSizes.ToString()!;
        if (s.Epochs != null) settings["epochs"] = s.Epochs.ToString()!;
        if (s.ImageSize != null) settings["image size"] = s.ImageSize;
        if (s.SkipCorruptImages) settings["corrupt images"] = "skipped";
        if (s.GapPenalty > 0) settings["gap penalty"] = s.GapPenalty.ToString(CultureInfo.InvariantCulture);
        if (study.TestMetric is { } test) settings[$"test {study.Study.MetricName}"] = test.ToString("F4", CultureInfo.InvariantCulture);

        var finished = study.Trials.Where(t => t.FinishedAt != null).Select(t => t.FinishedAt!.Value).DefaultIfEmpty().Max();
        var started = study.Trials.Select(t => t.StartedAt).DefaultIfEmpty().Min();
        var input = new StudyReportInput
        {
            Title = $"{s.Name}: {Path.GetFileName(s.Dataset)}",
            Task = s.Task,
            MetricName = study.Study.MetricName,
            Direction = study.Study.Direction,
            LabelColumn = s.LabelColumn,
            Trials = study.Trials,
            BestTrialId = study.BestTrialId,
            Elapsed = study.Trials.Count > 0 && finished > started ? finished - started : null,
            Settings = settings,
        };
        return StudyReport.Write(outputDirectory, input).HtmlPath;
    }
}
