namespace Pipelines.Cli;

/// <summary>The process exit codes; --help and the README list them.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad input: a missing or unreadable file, a column that is not there, an option value out of range, an output folder that holds another run.</summary>
    public const int InputError = 1;

    /// <summary>The command line itself: an unknown command or option, a missing or malformed value.</summary>
    public const int UsageError = 2;

    /// <summary>The search produced no model: every trial failed, or the time budget ended before one finished.</summary>
    public const int NoModel = 3;

    /// <summary>A bug or an environment problem (EX_SOFTWARE); -v diag shows the stack trace.</summary>
    public const int InternalError = 70;

    /// <summary>Stopped by Ctrl+C (SIGINT) or SIGTERM, as shells report 128 + SIGINT; the study is saved and resume continues it.</summary>
    public const int Interrupted = 130;
}
