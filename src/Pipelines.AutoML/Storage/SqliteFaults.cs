using Microsoft.Data.Sqlite;

namespace Pipelines.AutoML.Storage;

/// <summary>SQLite's result codes as <see cref="StorageFault"/>s, with a message that names the study file.</summary>
internal static class SqliteFaults
{
    // Primary result codes (https://www.sqlite.org/rescode.html); extended codes keep them in the low byte.
    const int Perm = 3, Busy = 5, Locked = 6, NoMem = 7, ReadOnly = 8, IoErr = 10, Corrupt = 11, Full = 13, CantOpen = 14, NotADb = 26;

    public static StudyStorageException Wrap(SqliteException e, string path)
    {
        var (fault, what) = (e.SqliteErrorCode & 0xFF) switch
        {
            Busy or Locked => (StorageFault.Locked, "is locked by another process for longer than the busy timeout"),
            Corrupt or NotADb => (StorageFault.Corrupt, "is corrupt: it is damaged, or it is not a study file"),
            Perm or ReadOnly or CantOpen => (StorageFault.Unavailable, "cannot be opened for writing"),
            Full => (StorageFault.Transient, "could not be written: the disk is full"),
            IoErr or NoMem => (StorageFault.Transient, "could not be read or written"),
            _ => (StorageFault.Transient, "failed"),
        };
        return new StudyStorageException(fault, $"The study file '{path}' {what} (SQLite: {e.Message}).", e);
    }

    /// <summary>Runs <paramref name="body"/>, turning SQLite's errors into classified storage errors.</summary>
    public static T Guard<T>(string path, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (SqliteException e)
        {
            throw Wrap(e, path);
        }
    }
}
