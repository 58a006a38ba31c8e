namespace Pipelines.Reports.Html;

/// <summary>Section 2: the objective of each trial and the best so far.</summary>
internal sealed class HistorySection() : ReportSection("history", "Optimization history")
{
    protected override void WriteBody(HtmlWriter w, ReportContent c)
    {
        if (c.History is null)
        {
            w.Paragraph("No trial has completed with a finite objective yet: there is no history to plot.", "empty");
            return;
        }
        w.Paragraph($"Each point is a completed trial's objective ({c.Input.MetricName}), in the order trials finished; the line is the best objective so far. " +
            "Pruned, failed and diverged trials have no objective and are marked along the bottom edge.", "explain");
        w.Image(c.History);
    }
}
