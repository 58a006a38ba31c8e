using System.Globalization;
using Pipelines.AutoML.Storage;

namespace Pipelines.Cli.Runs;

/// <summary>
/// Opens a run's study.db, the one way the commands do. A write that meets another process's lock waits up to the
/// busy timeout (30 s, or the seconds in the environment variable <see cref="BusyTimeoutVariable"/>) and is then
/// retried with backoff (<see cref="StudyRetryPolicy"/>) before the run stops.
/// </summary>
internal static class StudyDb
{
    public const string BusyTimeoutVariable = "PIPELINES_STUDY_BUSY_TIMEOUT";

    /// <summary>The study of a run, created when it has none.</summary>
    public static IStudyStorage Open(OutputFolder folder) => StudyStorageFactory.Open(folder.StudyDb, new SqliteStudyStorageOptions { BusyTimeout = BusyTimeout() });

    /// <summary>The study of a run for reading only (report, batch-size --from-study): never created, never written.</summary>
    public static IStudyStorage OpenToRead(OutputFolder folder) =>
        StudyStorageFactory.Open(folder.StudyDb, new SqliteStudyStorageOptions { BusyTimeout = BusyTimeout(), ReadOnly = true });

    static TimeSpan BusyTimeout()
    {
        var text = Environment.GetEnvironmentVariable(BusyTimeoutVariable);
        if (string.IsNullOrWhiteSpace(text)) return new SqliteStudyStorageOptions().BusyTimeout;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0))
            throw CliException.Input($"{BusyTimeoutVariable}={text}: give the busy timeout in seconds, a positive number such as 30.");
        return TimeSpan.FromSeconds(seconds);
    }
}
