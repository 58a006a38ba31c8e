using Pipelines.Reports;

namespace Pipelines.Cli.Runs;

/// <summary>
/// The batch-size command's output folder: batch-size.csv, batch-size.json, report.html and plots/. A folder with a
/// sweep is refused unless --force, which deletes only those files; a search run's folder is always refused, since
/// its report.html would be replaced.
/// </summary>
internal sealed class SweepFolder
{
    public SweepFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }
    public string Csv => File(BatchSizeReport.CsvFileName);
    public string Json => File(BatchSizeReport.JsonFileName);
    public string Html => File(StudyReport.HtmlFileName);
    public string Plots => File(StudyReport.PlotsFolderName);

    public bool HoldsSweep => System.IO.File.Exists(Json) || System.IO.File.Exists(Csv);

    /// <summary>Checked before any data is read.</summary>
    public void CheckFree(bool force)
    {
        if (System.IO.File.Exists(Path))
            throw CliException.Input($"The output path {Path} is a file; give a folder with -o|--output.");
        if (new OutputFolder(Path).HoldsRun)
            throw CliException.Input($"The output folder {Path} holds a search run (settings.json or study.db), whose report.html the sweep would replace. " +
                "Choose another folder with -o; the run's trials can be swept with --from-study.");
        if (HoldsSweep && !force)
            throw CliException.Input($"The output folder {Path} holds another batch-size sweep ({BatchSizeReport.JsonFileName}). Choose another folder with -o, or pass --force to replace it.");
    }

    /// <summary>Creates the folder, or clears the sweep in it (with force): only the sweep's own files are deleted.</summary>
    public void Prepare(bool force)
    {
        CheckFree(force);
        if (HoldsSweep)
        {
            foreach (var file in new[] { Csv, Json, Html }) System.IO.File.Delete(file);
            if (Directory.Exists(Plots)) Directory.Delete(Plots, recursive: true);
        }
        Directory.CreateDirectory(Path);
    }

    string File(string name) => System.IO.Path.Combine(Path, name);
}
