using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Optuna's schema in one SQLite file. Connections take the settings of <see cref="SqliteStudyStorageOptions"/>
/// (WAL, synchronous, busy timeout); a write transaction takes the file's write lock at BEGIN (IMMEDIATE), which
/// serializes it with every other writer, so no row locks are needed.
/// </summary>
internal sealed class SqliteRdbDialect : RdbDialect
{
    /// <summary>SQLAlchemy's SQLite DATETIME text (microseconds); read back with or without the fraction.</summary>
    const string TimeFormat = "yyyy-MM-dd HH:mm:ss.ffffff";
    readonly SqliteStudyStorageOptions _options;
    readonly string _connectionString;

    public SqliteRdbDialect(string path, SqliteStudyStorageOptions options)
    {
        Location = Path.GetFullPath(path);
        _options = options;
        var directory = Path.GetDirectoryName(Location);
        if (options.ReadOnly && !File.Exists(Location))
            throw new StudyStorageException(StorageFault.Unavailable, $"There is no study file '{Location}' to read.");
        if (!options.ReadOnly && !string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Location,
            // A reader (report) never creates the file nor writes to it.
            Mode = options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // Without pooling, Dispose really closes the file (and checkpoints the WAL into it).
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    public override string Location { get; }

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            SqliteSchema.Configure(connection, _options);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override DbTransaction Begin(DbConnection connection, bool write) =>
        ((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: !write);

    public override string SchemaLockSql => "";

    public override string ForUpdate => "";

    public override string TableExistsSql => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table;";

    public override string Enum(string parameter, string enumType) => parameter;

    public override string CreateTablesSql { get; } =
        OptunaSchema.Spell("INTEGER NOT NULL", "DATETIME", "FLOAT", (_, length) => $"VARCHAR({length})");

    public override object WriteTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public override DateTimeOffset ReadTime(object value) => value switch
    {
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => throw new StudyStorageException(StorageFault.Corrupt, $"The study file '{Location}' holds a time that is not one: '{value}'."),
    };

    public override StudyStorageException? Classify(Exception e) =>
        e is SqliteException sqlite ? SqliteFaults.Wrap(sqlite, Location) : null;

    /// <summary>A SQLite connection survives its errors (a lock, a full disk); it is kept.</summary>
    public override bool Reconnects(StudyStorageException fault) => false;
}
