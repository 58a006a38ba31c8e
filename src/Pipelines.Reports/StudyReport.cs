using System.Text;
using Pipelines.Reports.Html;
using Pipelines.Reports.Plots;
using Pipelines.AutoML.Export;

namespace Pipelines.Reports;

/// <summary>
/// Writes the report of an AutoML study: one self-contained report.html (inline style, plots embedded as PNG data
/// URIs, no scripts, nothing fetched) and each plot as a PNG under plots/.
/// </summary>
public static class StudyReport
{
    public const string HtmlFileName = "report.html";
    public const string PlotsFolderName = RenderedPlot.FolderName;

    /// <summary>
    /// Writes report.html and plots/*.png into <paramref name="outputDirectory"/> (created if needed; files of the
    /// same names are replaced) and returns their paths.
    /// </summary>
    public static StudyReportFiles Write(string outputDirectory, StudyReportInput input)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Trials);

        var content = ReportContent.Build(input);
        string root = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(root);
        var plotPaths = RenderedPlot.WriteAll(root, content.Plots);
        string html = Path.Combine(root, HtmlFileName);
        AtomicFile.WriteAllText(html, ReportPage.Render(content));
        return new StudyReportFiles(html, plotPaths);
    }
}
