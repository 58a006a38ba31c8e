namespace Pipelines.Cli.Commands;

/// <summary>The options every command takes: how much it shows, and the log file. --help lists them after a command's own.</summary>
internal abstract class CommonSettings : CommandSettings
{
    [CommandOption("--log-file-path <PATH>")]
    [Description("Also write everything, at diagnostic level and with times, to this file (appended).")]
    public string? LogFilePath { get; init; }

    [CommandOption("-v|--verbosity <LEVEL>")]
    [Description("How much to show: q (quiet: the result only), m (minimal: progress and summary), diag (diagnostic: every epoch, column decisions, stack traces).")]
    [DefaultValue("m")]
    public string Verbosity { get; init; } = "m";
}
