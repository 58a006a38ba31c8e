using System.Data.Common;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// What <see cref="RdbStudyStorage"/> needs to know about one database engine: how to connect, how to begin a
/// transaction that serializes with other writers, how Optuna's column types are spelled, and how the driver's
/// errors read as <see cref="StorageFault"/>s. Everything else in the storage is plain SQL both engines run.
/// </summary>
internal abstract class RdbDialect
{
    /// <summary>The database, for messages: a file path, or a URL with its password masked.</summary>
    public abstract string Location { get; }

    /// <summary>Opens a new connection, configured for the storage.</summary>
    public abstract DbConnection Open();

    /// <summary>A transaction for a call; a write one waits for other writers up front where the engine allows.</summary>
    public abstract DbTransaction Begin(DbConnection connection, bool write);

    /// <summary>Taken first in the transaction that creates the tables, so that workers starting at once create them once.</summary>
    public abstract string SchemaLockSql { get; }

    /// <summary>The row lock that a read-then-write statement appends (empty where the transaction already locks).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>A query counting the tables named by its parameter <c>@table</c> (0 or 1).</summary>
    public abstract string TableExistsSql { get; }

    /// <summary>A parameter cast to one of Optuna's enum types (native enums in PostgreSQL, text in SQLite).</summary>
    public abstract string Enum(string parameter, string enumType);

    /// <summary>Optuna's DDL in this engine's spelling.</summary>
    public abstract string CreateTablesSql { get; }

    /// <summary>An instant as Optuna's naive DateTime column takes it (UTC, microseconds).</summary>
    public abstract object WriteTime(DateTimeOffset time);

    /// <summary>A DateTime column's value, read as UTC.</summary>
    public abstract DateTimeOffset ReadTime(object value);

    /// <summary>The driver's exception as a classified storage error, or null when it is not a driver error.</summary>
    public abstract StudyStorageException? Classify(Exception e);

    /// <summary>Whether a connection that raised <paramref name="fault"/> should be dropped and a new one opened.</summary>
    public virtual bool Reconnects(StudyStorageException fault) => fault.Fault is StorageFault.Transient or StorageFault.Unavailable;
}
