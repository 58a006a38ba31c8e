
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
        foreach (var section in Sections)
            w.Raw($"<li><a href=\"#{section.Id}\">").Raw(HtmlWriter.Escape(section.Heading)).Raw("</a></li>\n");
        w.Raw("</ul></nav>\n</header>\n<main>\n");
        foreach (var section in Sections) section.Write(w, c);
        PageShell.End(w);
        return w.ToString();
    }

    /// <summary>The sections in page order; the contents list is made from them.</summary>
    public static readonly IReadOnlyList<ReportSection> Sections = new ReportSection[]
    {
        new SummarySection(), new HistorySection(), new LearningCurvesSection(), new BatchSizeSection(), new ImportanceSection(), new LeaderboardSection(),
    };
}
