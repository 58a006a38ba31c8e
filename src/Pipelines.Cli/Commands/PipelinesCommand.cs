using Pipelines.Cli.Display;

namespace Pipelines.Cli.Commands;

/// <summary>
/// The frame of every command: a reporter for its verbosity and log file, and the error handling around its work
/// (<see cref="CommandErrors"/>). A command writes only <see cref="Run"/>.
/// </summary>
internal abstract class PipelinesCommand<TSettings>(Terminal terminal) : AsyncCommand<TSettings>
    where TSettings : CommonSettings
{
    /// <summary>The command's work; a <see cref="CliException"/> or any other fault it throws becomes a clear message and its exit code.</summary>
    protected abstract Task<int> Run(TSettings options, Reporter reporter, CancellationToken cancellation);

    /// <summary>The name the command was called by (classification, regression, ...), set before <see cref="Run"/>.</summary>
    protected string CommandName { get; private set; } = "";

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings options, CancellationToken cancellation)
    {
        CommandName = context.Name;
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
        using (reporter) return await CommandErrors.Guard(reporter, () => Run(options, reporter, cancellation));
    }
}
