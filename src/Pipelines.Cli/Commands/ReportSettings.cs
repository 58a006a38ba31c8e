using System.ComponentModel;
using Spectre.Console.Cli;

namespace Pipelines.Cli.Commands;

/// <summary>The options of `report`.</summary>
internal sealed class ReportSettings : CommandSettings, ICommonOptions
{
    [CommandOption("-o|--output <DIR>", isRequired: true)]
    [Description("The output folder of a run (it holds settings.json and study.db).")]
    public string Output { get; init; } = "";

    [CommandOption("--log-file-path <PATH>")]
    [Description("Also write everything, at diagnostic level and with times, to this file (appended).")]
    public string? LogFilePath { get; init; }

    [CommandOption("-v|--verbosity <LEVEL>")]
    [Description("How much to show: q (quiet: the result only), m (minimal: progress and summary), diag (diagnostic: every epoch, column decisions, stack traces).")]
    [DefaultValue("m")]
    public string Verbosity { get; init; } = "m";
}
