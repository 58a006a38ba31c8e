using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Export;
using Pipelines.AutoML.Trials;
using Spectre.Console;

namespace Pipelines.Cli.Display;

/// <summary>What a finished run prints, as mlnet does: a summary, the top models, then the best model's parameters and gap, and where the files are.</summary>
internal sealed record RunSummary
{
    const int TopModels = 5;

    public required RunSettings Settings { get; init; }
    public required IReadOnlyList<TrialRecord> Trials { get; init; }
    public required OptimizationDirection Direction { get; init; }
    public required TrialRecord Best { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required OutputFolder Folder { get; init; }
    public required OnnxExportResult Onnx { get; init; }
    public double? TestMetric { get; init; }
    public string? ReportPath { get; init; }
    /// <summary>A binary text label's classes: the summary says which one Probability is for.</summary>
    public BinaryClassNames? ClassNames { get; init; }
    public EnsembleOutcome? Ensemble { get; init; }
    /// <summary>Whether the saved model was fitted again on training plus validation rows (unless --no-refit, when the budget had room).</summary>
    public bool Refitted { get; init; }
    /// <summary>A kept ensemble's members that were refitted when not all of them could be (<see cref="BestTrial.RefittedTrialIds"/>).</summary>
    public IReadOnlyList<int> RefittedTrialIds { get; init; } = [];
    /// <summary>Whether the refit ran past the budget's end and was stopped (<see cref="BestTrial.RefitStopped"/>).</summary>
    public bool RefitStopped { get; init; }
    /// <summary>When the saved model is a trainer's defaults that the best trial did not beat clearly.</summary>
    public DefaultChoice? DefaultChoice { get; init; }

    static string Compared(DefaultChoice choice) => choice.Folds == 0
        ? $"on the {choice.Rows} validation rows"
        : $"on all {choice.Rows} rows, cross-validated in {choice.Folds} folds";

    string RefitLine()
    {
        if (Refitted) return "The saved model was refitted on the training plus validation rows (--no-refit saves the trial's own); its validation score above is its trial's.";
        if (RefitStopped)
            return "Not refitted on the training plus validation rows: the refit took longer than its trial's time predicted and was stopped at the end of the time budget and its 10% allowance; the saved model is the trial's.";
        if (RefittedTrialIds.Count > 0)
            return $"The saved ensemble's members from trial(s) {string.Join(", ", RefittedTrialIds)} were refitted on the training plus validation rows; " +
                "the time budget had no room for the others' refits (predicted from their trials' times), which keep their trials' models.";
        return "Not refitted on the training plus validation rows: the run was stopped, or its time budget had no room for the refit (predicted from the best trial's time); the saved model is the trial's.";
    }

    public void Print(Reporter reporter)
    {
        bool plain = !reporter.Terminal.IsInteractive;
        var metric = Settings.Metric;
        var counts = Trials.Select(t => TrialRow.From(t).Status).GroupBy(s => s).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}");

        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("Task", Markup.Escape($"{Settings.Task} ({Settings.Command})"));
        summary.AddRow("Dataset", Markup.Escape(Settings.Dataset));
        summary.AddRow("Label", Markup.Escape(Settings.IsImageRun ? "the class sub-folders" : Settings.LabelColumn));
        if (ClassNames is { } names)
            summary.AddRow("Prediction", Markup.Escape($"PredictedLabel '{names.Positive}' or '{names.Negative}'; Probability is the probability of '{names.Positive}'"));
        var heldOut = $"{InputData.ValidationFraction * 100:F0}% of the {(Settings.IsImageRun ? "images" : "rows")} held out";
        summary.AddRow("Metric", Markup.Escape($"{metric} on {(Settings.ValidationDataset != null ? "the validation dataset" : heldOut)}"));
        summary.AddRow("Time", Markup.Escape($"{Format.Clock(Elapsed)} this run"));
        summary.AddRow("Trials", Markup.Escape($"{Trials.Count} in the study ({string.Join(", ", counts)})"));
        reporter.Render(new Panel(summary).Header("Summary").Border(plain ? BoxBorder.Ascii : BoxBorder.Rounded));

        var top = TrialRanking.Rank(Trials.Where(t => t.Status == TrialStatus.Completed), Direction).Take(TopModels).Select(t => TrialRow.From(t)).ToList();
        reporter.Render(TrialTable.Build(top, metric, Best.Id, plain, reporter.Terminal.Out.Profile.Width, title: $"Top {top.Count} models explored"));

        var best = TrialRow.From(Best);
        reporter.Result($"Best model: trial {Best.Id}, {best.Trainer}: validation {metric} {Format.Metric(best.ValidationMetric)}, " +
            $"train {Format.Metric(best.TrainMetric)}, generalization gap {Format.Gap(best.Gap)}" +
            (Settings.GapPenalty > 0 ? $", objective {Format.Metric(best.Objective)} (gap penalty {Settings.GapPenalty})" : "") + ".");
        if (Ensemble is { } ensemble) reporter.Result(Describe(ensemble, metric));
        if (DefaultChoice is { } choice)
            reporter.Result($"Trial {choice.Default.Id} ({choice.Default.Trainer} with its defaults) is the saved model: trial {choice.Passed.Id} ({choice.Passed.Trainer}) " +
                (choice.Lead > 0
                    ? $"led it {Compared(choice)} by {choice.Lead:G3} a row, within one standard error ({choice.StandardError:G3}) of their difference, which a search over many trials does not tell from luck."
                    : $"trailed it {Compared(choice)} by {-choice.Lead:G3} a row (one standard error of their difference: {choice.StandardError:G3})."));
        if (Settings.Refit) reporter.Result(RefitLine());
        if (TestMetric is { } test) reporter.Result($"Test {metric} of the best model on {Path.GetFileName(Settings.TestDataset)}: {Format.Metric(test)}.");

        var parameters = new Table().Border(plain ? TableBorder.Ascii : TableBorder.Rounded).Title("Best model's parameters");
        parameters.AddColumn("Parameter");
        parameters.AddColumn("Value");
        foreach (var (name, value) in best.Parameters) parameters.AddRow(Markup.Escape(name), Markup.Escape(value));
        if (best.EpochsRun is { } epochs) parameters.AddRow("epochs run", epochs.ToString());
        reporter.Render(parameters);

        reporter.Info($"Files in {Folder.Path}:");
        reporter.Info("  model.zip        the ML.NET model (mlContext.Model.Load)");
        reporter.Info(Onnx.Succeeded
            ? $"  model.onnx       {Onnx.Description}"
            : $"  model.onnx       not written: {Onnx.Failure}");
        reporter.Info($"  {Settings.Name}.ConsoleApp/  `dotnet run` there predicts with model.zip (Program.cs: PredictionEngine; the csproj: the run's packages)");
        reporter.Info("  leaderboard.csv  every trial, with its tuned parameters");
        reporter.Info("  trials.json      every trial with its per-epoch values and training report");
        reporter.Info(Settings.Storage is null
            ? "  study.db         the study (SQLite); `pipelines resume` continues it"
            : $"  (the study is '{Settings.StudyName}' in {Settings.Storage}; `pipelines worker` joins it, `pipelines export` writes its best model anywhere)");
        reporter.Info("  settings.json    the run's settings");
        reporter.Info(ReportPath != null ? $"  {Path.GetFileName(ReportPath),-16} the report" : "  report.html      not written: this build has no report writer");
        reporter.Result($"Model: {Folder.ModelZip}");
    }

    /// <summary>The final ensemble in one line: kept (its members and weights) or not, and the held-out comparison that decided.</summary>
    static string Describe(EnsembleOutcome e, string metric)
    {
        var members = string.Join(" + ", e.MemberTrialIds.Zip(e.Weights, (id, w) => $"{w:0.##} x trial {id}"));
        if (double.IsNaN(e.HeldOutMetric)) return $"Ensemble: not built; the greedy selection kept a single model (trial {e.MemberTrialIds[0]}).";
        var rows = e.Folds == 0 ? "on the half of the validation rows it was not built on"
            : $"on all rows, cross-validated in {e.Folds} folds, each fold weighted on the others";
        var comparison = $"{metric} {Format.Metric(e.HeldOutMetric)} against {Format.Metric(e.BestSingleHeldOutMetric)} for the {(e.Folds == 0 ? "best" : "chosen")} single model {rows}";
        if (e.DroppedForRefit)
            return $"Ensemble dropped ({members}) although it won its check ({comparison}): the time budget had room to refit the best single model, not all of its members.";
        return e.Kept ? $"Ensemble kept: {members}; {comparison}." : $"Ensemble dropped ({members}): {comparison}.";
    }
}
