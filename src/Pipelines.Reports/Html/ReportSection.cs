namespace Pipelines.Reports.Html;

/// <summary>One section of the study report: its anchor in the page, its heading, and what it writes under the heading.</summary>
internal abstract class ReportSection(string id, string heading)
{
    public string Id { get; } = id;
    public string Heading { get; } = heading;

    public void Write(HtmlWriter w, ReportContent c)
    {
        w.Heading(2, Heading, Id);
        WriteBody(w, c);
    }

    protected abstract void WriteBody(HtmlWriter w, ReportContent c);
}
