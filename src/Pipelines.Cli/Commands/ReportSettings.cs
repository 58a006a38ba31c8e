namespace Pipelines.Cli.Commands;

/// <summary>The options of `report`: the run folder and the common ones.</summary>
internal sealed class ReportSettings : RunFolderSettings;
