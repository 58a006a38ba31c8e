using System.Text;
using Pipelines.Reports.Html;
using Pipelines.Reports.Plots;
using Pipelines.Reports.Sweep;
using Pipelines.AutoML.Export;

namespace Pipelines.Reports;

/// <summary>
/// Writes the report of a batch-size sweep: batch-size.csv (one row per batch size), batch-size.json (the rows, the
/// critical batch size, the noise scale and the recommendation), a self-contained report.html with its plots
/// embedded, and each plot as a PNG under plots/.
/// </summary>
public static class BatchSizeReport
{
    public const string CsvFileName = "batch-size.csv";
    public const string JsonFileName = "batch-size.json";

    /// <summary>The columns of batch-size.csv, in order.</summary>
    public static IReadOnlyList<string> CsvColumns => BatchSizeCsv.Columns;

    /// <summary>Writes the files into <paramref name="outputDirectory"/> (created if needed; files of the same names are replaced).</summary>
    public static BatchSizeReportFiles Write(string outputDirectory, BatchSizeReportInput input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Result);
        string root = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(root);

        string csv = Path.Combine(root, CsvFileName), json = Path.Combine(root, JsonFileName);
        AtomicFile.WriteAllText(csv, BatchSizeCsv.Format(input.Result));
        AtomicFile.WriteAllText(json, BatchSizeJson.Format(input.Result));

        var plots = SweepPlots.Build(input.Result);
        var plotPaths = RenderedPlot.WriteAll(root, plots);
        string html = Path.Combine(root, StudyReport.HtmlFileName);
        AtomicFile.WriteAllText(html, SweepPage.Render(input, plots, input.GeneratedAt ?? DateTimeOffset.UtcNow));
        return new BatchSizeReportFiles(csv, json, html, plotPaths);
    }
}
