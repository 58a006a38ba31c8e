namespace Pipelines.Cli;

/// <summary>A problem the user can fix, with the exit code it ends the process with; printed without a stack trace.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Input(string message) => new(ExitCodes.InputError, message);
}
