using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Inference;
using Pipelines.AutoML.Storage;
using Pipelines.Cli.Display;

namespace Pipelines.Cli.Commands;

/// <summary>
/// Turns what a command throws into one clear message on stderr and an exit code. Stack traces only with -v diag:
/// a user needs to know what to fix, not where the code was.
/// </summary>
internal static class CommandErrors
{
    public static async Task<int> Guard(Reporter reporter, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (code, message) = Classify(e);
            reporter.Error(message);
            if (reporter.Verbosity == Verbosity.Diagnostic) Reporter.RawLine(reporter.Terminal.Error, e.ToString());
            else reporter.Log(e.ToString());
            if (code == ExitCodes.InternalError) reporter.Error("This is a bug or an environment problem; run again with -v diag for the stack trace.");
            return code;
        }
    }

    static (int Code, string Message) Classify(Exception e)
    {
        switch (e)
        {
            case CliException cli: return (cli.ExitCode, cli.Message);
            case FileNotFoundException or DirectoryNotFoundException: return (ExitCodes.InputError, e.Message);
            case ColumnInferenceException or StudyMismatchException: return (ExitCodes.InputError, e.Message);
            case AutoMLException: return (ExitCodes.NoModel, e.Message);
            case StudyStorageException or StudyUnavailableException: return (ExitCodes.InputError, e.Message);
            case OperationCanceledException: return (ExitCodes.Interrupted, "Stopped before any trial ran.");
            case UnauthorizedAccessException or IOException: return (ExitCodes.InputError, $"{e.GetType().Name}: {e.Message}");
        }
        // ML.NET reports unreadable values from its loader deep inside other exceptions: the parse error is the message.
        for (var inner = e; inner != null; inner = inner.InnerException)
            if (inner is FormatException) return (ExitCodes.InputError, $"The data could not be read: {inner.Message}");
        return (ExitCodes.InternalError, $"{e.GetType().Name}: {e.Message}");
    }
}
