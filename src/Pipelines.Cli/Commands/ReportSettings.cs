using System.ComponentModel;
using Spectre.Console.Cli;

namespace Pipelines.Cli.Commands;

/// <summary>The options of `report`.</summary>
internal sealed class ReportSettings : CommonSettings
{
    [CommandOption("-o|--output <DIR>", isRequired: true)]
    [Description("The output folder of a run (it holds settings.json and study.db).")]
    public string Output { get; init; } = "";
}
