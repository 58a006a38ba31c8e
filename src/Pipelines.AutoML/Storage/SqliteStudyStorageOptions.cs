namespace Pipelines.AutoML.Storage;

/// <summary>Settings of a study in a SQLite file (<see cref="RdbStudyStorage.Sqlite"/>, <see cref="SqliteStudyStorage"/>).</summary>
public sealed record SqliteStudyStorageOptions : StudyStorageOptions
{
    /// <summary>
    /// True (default): <c>synchronous=FULL</c>, every commit is flushed to disk before the call returns, so even a
    /// power loss or OS crash loses nothing already reported. False: <c>synchronous=NORMAL</c>, each commit still
    /// reaches the operating system before the call returns (a killed process loses nothing), but the disk flush
    /// waits for the next checkpoint, so a power loss can lose the last commits (never corrupting the file).
    /// Studies write about once per epoch, so the flush costs little.
    /// </summary>
    public bool FlushEveryCommit { get; init; } = true;

    /// <summary>
    /// Opens an existing study file for reading only: a missing file is an <see cref="StorageFault.Unavailable"/>
    /// error instead of a new study, nothing is ever written (no schema, no WAL switch), and every write call fails.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>How long a call waits while another process holds the write lock on the same file.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
