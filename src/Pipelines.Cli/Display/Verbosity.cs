namespace Pipelines.Cli.Display;

/// <summary>How much the console shows, as mlnet's -v: q (the result only), m (progress, the default), diag (every epoch, column decisions, stack traces).</summary>
internal enum Verbosity
{
    Quiet,
    Minimal,
    Diagnostic,
}

internal static class VerbosityNames
{
    public static Verbosity Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "m" or "minimal" => Verbosity.Minimal,
        "q" or "quiet" => Verbosity.Quiet,
        "diag" or "diagnostic" or "d" => Verbosity.Diagnostic,
        _ => throw CliException.Input($"Unknown verbosity '{text}': use q (quiet), m (minimal) or diag (diagnostic)."),
    };
}
