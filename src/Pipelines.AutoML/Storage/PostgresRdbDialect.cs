using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Optuna's schema in a PostgreSQL database, for studies shared by many workers. Transactions are READ COMMITTED;
/// statements that read a row and then write it lock it (<c>FOR UPDATE</c>), trial numbers are taken under a lock
/// on the study's row, and the tables are created under an advisory lock so workers starting at once create them once.
/// </summary>
internal sealed class PostgresRdbDialect : RdbDialect
{
    /// <summary>Any fixed number: the advisory lock that serializes schema creation.</summary>
    const long SchemaLockKey = 0x5049504553;
    readonly string _connectionString;

    public PostgresRdbDialect(string url)
    {
        var builder = PostgresUrl.Parse(url);
        _connectionString = builder.ConnectionString;
        Location = $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public override string Location { get; }

    public override DbConnection Open()
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override DbTransaction Begin(DbConnection connection, bool write) =>
        ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);

    public override string SchemaLockSql => $"SELECT pg_advisory_xact_lock({SchemaLockKey});";

    public override string ForUpdate => " FOR UPDATE";

    public override string TableExistsSql =>
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table;";

    public override string Enum(string parameter, string enumType) => $"CAST({parameter} AS {enumType})";

    public override string CreateTablesSql { get; } = OptunaSchema.PostgresEnums +
        OptunaSchema.Spell("SERIAL NOT NULL", "TIMESTAMP WITHOUT TIME ZONE", "DOUBLE PRECISION", (type, _) => type);

    /// <summary>Optuna's column is a naive timestamp; the storage writes UTC into it (microseconds, PostgreSQL's precision).</summary>
    public override object WriteTime(DateTimeOffset time) => DateTime.SpecifyKind(time.UtcDateTime, DateTimeKind.Unspecified);

    public override DateTimeOffset ReadTime(object value) => value is DateTime time
        ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
        : throw new StudyStorageException(StorageFault.Corrupt, $"The study database '{Location}' holds a time that is not one: '{value}'.");

    public override StudyStorageException? Classify(Exception e) => e switch
    {
        PostgresException server => FromServer(server),
        NpgsqlException client => new StudyStorageException(StorageFault.Transient, ClientMessage(client), client),
        _ => null,
    };

    StudyStorageException FromServer(PostgresException e)
    {
        var (fault, what) = e.SqlState switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                (StorageFault.Unavailable, "refused the user or password (give the password in the URL, PGPASSWORD or .pgpass)"),
            PostgresErrorCodes.InvalidCatalogName => (StorageFault.Unavailable, "has no such database (create it with createdb)"),
            PostgresErrorCodes.InsufficientPrivilege => (StorageFault.Unavailable, "does not let this user read or write the study"),
            PostgresErrorCodes.LockNotAvailable => (StorageFault.Locked, "held a lock for too long"),
            PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted => (StorageFault.Corrupt, "is damaged"),
            PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedObject =>
                (StorageFault.Incompatible, "lacks a table or column of Optuna's schema"),
            _ => (StorageFault.Transient, "failed"),
        };
        return new StudyStorageException(fault, $"The study database '{Location}' {what} (PostgreSQL {e.SqlState}: {e.MessageText}).", e);
    }

    string ClientMessage(NpgsqlException e)
    {
        var refused = e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
        return refused
            ? $"The study database '{Location}' refused the connection: is the server running and listening on that host and port?"
            : $"The study database '{Location}' could not be reached ({e.Message}).";
    }
}
