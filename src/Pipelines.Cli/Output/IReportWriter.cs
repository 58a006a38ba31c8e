namespace Pipelines.Cli.Output;

/// <summary>
/// Writes report.html (and its plots) into a run's output folder. This is where the report library plugs in: pass an
/// implementation to <see cref="CliApp.RunAsync"/> in Program.cs. Without one, the CLI writes every other file and says
/// that this build has no report.
/// </summary>
internal interface IReportWriter
{
    /// <summary>Writes the report and returns the path of its main file.</summary>
    string Write(string outputDirectory, StudyReportData study);
}
