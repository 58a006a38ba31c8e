using Pipelines.AutoML.Export;

namespace Pipelines.Reports.Plots;

/// <summary>A plot as PNG bytes, with the file name it gets under plots/ and the alt text the page gives it.</summary>
internal sealed record RenderedPlot(string FileName, string AltText, byte[] Png)
{
    /// <summary>The folder of a report's PNG files, under its output folder.</summary>
    public const string FolderName = "plots";

    /// <summary>Writes each plot as a PNG under <paramref name="root"/>/plots (created if needed) and returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(string root, IEnumerable<RenderedPlot> plots)
    {
        string folder = Path.Combine(root, FolderName);
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var plot in plots)
        {
            string path = Path.Combine(folder, plot.FileName);
            AtomicFile.WriteAllBytes(path, plot.Png);
            paths.Add(path);
        }
        return paths;
    }
}
