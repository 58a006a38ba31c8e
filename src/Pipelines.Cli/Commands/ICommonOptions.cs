namespace Pipelines.Cli.Commands;

/// <summary>
/// Options every command takes. Each settings class declares them itself, after its own options, so --help lists
/// them where mlnet does.
/// </summary>
internal interface ICommonOptions
{
    /// <summary>q, m or diag.</summary>
    string Verbosity { get; }

    string? LogFilePath { get; }
}
