namespace Pipelines.Cli.Commands;

/// <summary>The options of the commands that work on an existing run's folder (resume, report).</summary>
internal abstract class RunFolderSettings : CommonSettings
{
    [CommandOption("-o|--output <DIR>", isRequired: true)]
    [Description("The output folder of a run (it holds settings.json and study.db).")]
    public string Output { get; init; } = "";
}
