using Pipelines.Torch.BatchSize;
using Spectre.Console;

namespace Pipelines.Cli.Display;

/// <summary>The end of a sweep: one row per batch size, the critical batch size against B_simple, and the recommendation.</summary>
internal static class SweepSummary
{
    public static void Show(Reporter reporter, BatchSizeSweepResult r)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"to validation {Markup.Escape(r.LossName)} {r.TargetLoss:G4}");
        foreach (var column in new[] { "Batch", "LR", "Steps", "Examples", "Seconds", "Samples/s", $"Train {r.MetricName}", $"Val {r.MetricName}", "Gap", "B_simple" })
            table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        string N(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("N0") : "-";
        foreach (var p in r.Points)
            table.AddRow(p.BatchSize.ToString(), Format.Rate(p.LearningRate), N(p.Steps), N(p.Examples), p.Seconds is { } s ? Format.Seconds(s) : "-",
                N(p.SamplesPerSecond), Format.Metric(p.TrainMetric), Format.Metric(p.ValidationMetric), Format.Gap(p.Gap), N(p.GradientNoiseScale));
        reporter.Render(table);
        reporter.Result(r.Fit is { } fit
            ? $"Critical batch size B_crit ≈ {fit.CriticalBatchSize:N0} (S_min {fit.MinSteps:N0} steps, E_min {fit.MinExamples:N0} examples); " +
              $"gradient noise scale B_simple ≈ {N(r.GradientNoiseScale)}."
            : $"No critical batch size: fewer than two batch sizes reached the target. Gradient noise scale B_simple ≈ {N(r.GradientNoiseScale)}.");
        reporter.Result(r.Recommendation.BatchSize is { } b ? $"Recommended batch size: {b}." : "No recommended batch size.");
        reporter.Info(r.Recommendation.Text);
        foreach (var note in r.Notes) reporter.Detail("note: " + note);
    }
}
