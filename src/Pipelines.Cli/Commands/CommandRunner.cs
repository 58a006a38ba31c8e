using Pipelines.Cli.Display;

namespace Pipelines.Cli.Commands;

/// <summary>The frame of every command: a reporter for its verbosity and log file, and the error handling around its work.</summary>
internal static class CommandRunner
{
    public static async Task<int> Run(Terminal terminal, CommonSettings options, Func<Reporter, Task<int>> work)
    {
        Reporter reporter;
        try
        {
            reporter = new Reporter(terminal, VerbosityNames.Parse(options.Verbosity), options.LogFilePath);
        }
        catch (CliException e)
        {
            Reporter.Prefixed(terminal.Error, "[red]error:[/] ", e.Message);
            return e.ExitCode;
        }
        using (reporter) return await CommandErrors.Guard(reporter, () => work(reporter));
    }
}
