using Pipelines.AutoML.Trials;

namespace Pipelines.Reports.Html;

/// <summary>The whole page: head with the inline style sheet, title, contents, the six sections and a footer. No scripts.</summary>
internal static class ReportPage
{
    public static string Render(ReportContent c)
    {
        var input = c.Input;
        var w = new HtmlWriter();
        PageShell.Begin(w, $"{input.Title}: AutoML study report");
        w.Raw("<header>\n");
        w.Element("h1", input.Title);
        string direction = input.Direction == OptimizationDirection.Maximize ? "maximized" : "minimized";
        w.Paragraph($"AutoML study report · {input.Task} · {input.MetricName} {direction} · label column '{input.LabelColumn}' · {c.Trials.Count} trials · generated {Format.Timestamp(c.GeneratedAt)}", "subtitle");
        w.Raw("<nav><ul>\n");
        foreach (var (id, heading) in Sections)
            w.Raw($"<li><a href=\"#{id}\">").Raw(HtmlWriter.Escape(heading)).Raw("</a></li>\n");
        w.Raw("</ul></nav>\n</header>\n<main>\n");
        SummarySection.Write(w, c);
        HistorySection.Write(w, c);
        LearningCurvesSection.Write(w, c);
        BatchSizeSection.Write(w, c);
        ImportanceSection.Write(w, c);
        LeaderboardSection.Write(w, c);
        PageShell.End(w);
        return w.ToString();
    }

    public static readonly (string Id, string Heading)[] Sections =
    {
        (SummarySection.Id, SummarySection.Heading),
        (HistorySection.Id, HistorySection.Heading),
        (LearningCurvesSection.Id, LearningCurvesSection.Heading),
        (BatchSizeSection.Id, BatchSizeSection.Heading),
        (ImportanceSection.Id, ImportanceSection.Heading),
        (LeaderboardSection.Id, LeaderboardSection.Heading),
    };
}
