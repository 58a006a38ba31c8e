using System.Net;
using System.Text;
using Pipelines.Reports.Plots;

namespace Pipelines.Reports.Html;

/// <summary>
/// Builds the page. Every method that takes text escapes it, so data from trials (trainer names, errors, parameter
/// values, settings) can never become markup; only <see cref="Raw"/> writes markup, and only for fixed strings.
/// </summary>
internal sealed class HtmlWriter
{
    readonly StringBuilder _html = new();

    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    public HtmlWriter Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    public HtmlWriter Element(string tag, string text, string? cssClass = null, string? id = null)
    {
        _html.Append('<').Append(tag);
        if (id != null) _html.Append(" id=\"").Append(Escape(id)).Append('"');
        if (cssClass != null) _html.Append(" class=\"").Append(Escape(cssClass)).Append('"');
        _html.Append('>').Append(Escape(text)).Append("</").Append(tag).Append(">\n");
        return this;
    }

    public HtmlWriter Heading(int level, string text, string id) => Element($"h{level}", text, id: id);

    public HtmlWriter Paragraph(string text, string? cssClass = null) => Element("p", text, cssClass);

    /// <summary>A bulleted list of plain-text items.</summary>
    public HtmlWriter List(IEnumerable<string> items)
    {
        _html.Append("<ul>\n");
        foreach (var item in items) _html.Append("<li>").Append(Escape(item)).Append("</li>\n");
        _html.Append("</ul>\n");
        return this;
    }

    /// <summary>The plot as a base64 PNG data URI: the page needs no other file.</summary>
    public HtmlWriter Image(RenderedPlot plot)
    {
        _html.Append("<figure><img src=\"data:image/png;base64,").Append(Convert.ToBase64String(plot.Png))
            .Append("\" alt=\"").Append(Escape(plot.AltText)).Append("\" data-file=\"plots/").Append(Escape(plot.FileName))
            .Append("\"></figure>\n");
        return this;
    }

    /// <summary>A table; <paramref name="numeric"/> marks right-aligned columns, <paramref name="rowClass"/> styles rows.</summary>
    public HtmlWriter Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? numeric = null,
        Func<int, string?>? rowClass = null, string? cssClass = null)
    {
        _html.Append(cssClass == null ? "<table>\n" : $"<table class=\"{Escape(cssClass)}\">\n").Append("<thead><tr>");
        for (int c = 0; c < headers.Count; c++)
            _html.Append(numeric?.Contains(c) == true ? "<th class=\"num\">" : "<th>").Append(Escape(headers[c])).Append("</th>");
        _html.Append("</tr></thead>\n<tbody>\n");
        int r = 0;
        foreach (var row in rows)
        {
            string? css = rowClass?.Invoke(r++);
            _html.Append(css == null ? "<tr>" : $"<tr class=\"{Escape(css)}\">");
            for (int c = 0; c < row.Count; c++)
                _html.Append(numeric?.Contains(c) == true ? "<td class=\"num\">" : "<td>").Append(Escape(row[c])).Append("</td>");
            _html.Append("</tr>\n");
        }
        _html.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>Two-column key/value table.</summary>
    public HtmlWriter Pairs(IEnumerable<(string Key, string Value)> pairs, string? cssClass = "pairs")
    {
        _html.Append(cssClass == null ? "<table>\n" : $"<table class=\"{Escape(cssClass)}\">\n").Append("<tbody>\n");
        foreach (var (key, value) in pairs)
            _html.Append("<tr><th>").Append(Escape(key)).Append("</th><td>").Append(Escape(value)).Append("</td></tr>\n");
        _html.Append("</tbody>\n</table>\n");
        return this;
    }

    public override string ToString() => _html.ToString();
}
