namespace Pipelines.Reports;

/// <summary>What <see cref="StudyReport.Write"/> wrote: the page and each plot, as full paths.</summary>
/// <param name="HtmlPath">The self-contained report.html (plots embedded).</param>
/// <param name="PlotPaths">Every plot also written as a PNG under plots/, in the order the page shows them.</param>
public sealed record StudyReportFiles(string HtmlPath, IReadOnlyList<string> PlotPaths);
