using Pipelines.AutoML.Storage;

namespace Pipelines.Cli.Runs;

/// <summary>
/// The options the commands open a study with (<see cref="StudyLocation.Open"/>). A write that meets another process's
/// lock on a SQLite study waits up to the busy timeout (30 s, or the seconds in the environment variable
/// <see cref="BusyTimeoutVariable"/>) and is then retried with backoff (<see cref="StudyRetryPolicy"/>) before the run stops.
/// </summary>
internal static class StudyDb
{
    public const string BusyTimeoutVariable = "PIPELINES_STUDY_BUSY_TIMEOUT";

    /// <param name="heartbeatTimeout">How old another worker's heartbeat may be before its trial counts as interrupted; the storage's default if null.</param>
    /// <param name="readOnly">For reading only (report, batch-size --from-study): a SQLite study is never created, never written.</param>
    public static SqliteStudyStorageOptions Options(TimeSpan? heartbeatTimeout = null, bool readOnly = false)
    {
        var options = BusyTimeout() is { } busy ? new SqliteStudyStorageOptions { BusyTimeout = busy } : new SqliteStudyStorageOptions();
        options = options with { ReadOnly = readOnly };
        return heartbeatTimeout is { } grace ? options with { HeartbeatTimeout = grace } : options;
    }

    static TimeSpan? BusyTimeout()
    {
        var text = Environment.GetEnvironmentVariable(BusyTimeoutVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0))
            throw CliException.Input($"{BusyTimeoutVariable}={text}: give the busy timeout in seconds, a positive number such as 30.");
        return TimeSpan.FromSeconds(seconds);
    }
}
