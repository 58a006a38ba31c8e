namespace Pipelines.AutoML.Storage;

/// <summary>What went wrong in a storage, as the storage itself classifies its driver's errors.</summary>
public enum StorageFault
{
    /// <summary>Worth retrying: a connection dropped, a server restarting, an I/O hiccup.</summary>
    Transient,
    /// <summary>Another client held the study locked longer than the busy timeout; retrying may succeed later.</summary>
    Locked,
    /// <summary>The study's file or database is damaged or is not a study at all.</summary>
    Corrupt,
    /// <summary>Written by a newer or foreign schema that this build cannot read.</summary>
    Incompatible,
    /// <summary>The study cannot be reached or opened: a missing file where one was required, no permission, a refused connection.</summary>
    Unavailable,
}

/// <summary>
/// A failure of the study storage (not of the caller's arguments), classified by the storage that raised it, so the
/// rest of the code decides what to do (retry, stop cleanly, tell the user) without knowing the storage's driver.
/// </summary>
public sealed class StudyStorageException(StorageFault fault, string message, Exception? inner = null) : IOException(message, inner)
{
    public StorageFault Fault { get; } = fault;

    /// <summary>Whether the same call may succeed if made again later.</summary>
    public bool IsTransient => Fault is StorageFault.Transient or StorageFault.Locked;

    /// <summary>Whether <paramref name="e"/> is a storage failure (as opposed to a bug or a bad argument), retried or not.</summary>
    public static bool IsStorageFault(Exception e) => e is StudyStorageException or StudyUnavailableException;
}
