namespace Pipelines.Reports.Html;

/// <summary>The frame every report page shares: the head with the inline style sheet, and the footer. No scripts.</summary>
internal static class PageShell
{
    public static void Begin(HtmlWriter w, string documentTitle) =>
        w.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Element("title", documentTitle)
            .Raw("<style>\n").Raw(ReportStyle.Css).Raw("\n</style>\n</head>\n<body>\n");

    public static void End(HtmlWriter w)
    {
        w.Raw("</main>\n<footer>\n");
        w.Paragraph("Written by Pipelines.Reports. This page is self-contained; each plot is also saved as a PNG under plots/.");
        w.Raw("</footer>\n</body>\n</html>\n");
    }
}
