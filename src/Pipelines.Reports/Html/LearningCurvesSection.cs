
namespace Pipelines.Reports.Html;

/// <summary>Section 3: per-epoch train and validation curves of the best Torch trials, and of some pruned ones.</summary>
internal sealed class LearningCurvesSection() : ReportSection("learning-curves", "Learning curves")
{
    protected override void WriteBody(HtmlWriter w, ReportContent c)
    {
        if (!c.AnyTorch)
        {
            w.Paragraph("No Torch trials in this study: no trainer trained in epochs, so there are no learning curves.", "empty");
            return;
        }
        if (c.Curves.Count == 0)
        {
            w.Paragraph("No Torch trial has a training report with finished epochs yet (failed before its first epoch, or still running).", "empty");
            return;
        }
        var report = c.CurveTrials[0].Report!;
        int completed = c.CurveTrials.Count(t => t.Trial.Status == TrialStatus.Completed);
        int pruned = c.CurveTrials.Count - completed;
        string which = completed == 0
            ? $"No Torch trial has completed yet; these are the {pruned} pruned one{(pruned == 1 ? "" : "s")} that ran longest (fainter)"
            : $"The {completed} best completed Torch trial{(completed == 1 ? "" : "s")}" + (pruned > 0 ? $" and the {pruned} pruned one{(pruned == 1 ? "" : "s")} that ran longest (fainter)" : "");
        bool sameMetric = string.Equals(report.MetricName, c.Input.MetricName, StringComparison.OrdinalIgnoreCase);
        w.Paragraph(which + ". Both sides are measured in eval mode after each epoch, the train side on a fixed sample of the training data, " +
            "so the distance between a trial's dashed and solid line is its generalization gap. " +
            $"The curves show the trainer's own per-epoch metric ({report.MetricName}) and loss ({report.LossName})" +
            (sameMetric ? "." : $"; the study's metric ({c.Input.MetricName}) is computed once, after training."), "explain");
        foreach (var plot in c.Curves) w.Image(plot);
    }
}
