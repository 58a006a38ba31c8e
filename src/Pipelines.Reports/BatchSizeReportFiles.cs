namespace Pipelines.Reports;

/// <summary>What <see cref="BatchSizeReport.Write"/> wrote, as full paths.</summary>
public sealed record BatchSizeReportFiles(string CsvPath, string JsonPath, string HtmlPath, IReadOnlyList<string> PlotPaths);
