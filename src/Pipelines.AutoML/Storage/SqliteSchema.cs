using Microsoft.Data.Sqlite;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// The tables of a study file written before studies moved to Optuna's schema (<see cref="OptunaSchema"/>): such
/// files are still opened, as they are, by <see cref="SqliteStudyStorage"/>. Readable with any SQLite client: statuses and directions are names, timestamps are
/// ISO-8601 UTC text, parameters are JSON text. SQLite cannot store NaN (it turns it into NULL), so a NaN metric
/// is stored as NULL with its <c>*_is_nan</c> flag set, and a NaN intermediate value as a NULL value; infinities
/// are stored as REAL infinities.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Bumped, with a migration, whenever the tables below change.</summary>
    public const int Version = 1;

    const string CreateTables = """
        CREATE TABLE schema_version (version INTEGER NOT NULL);

        CREATE TABLE studies (
            study_id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name              TEXT NOT NULL UNIQUE,
            direction         TEXT NOT NULL CHECK (direction IN ('Maximize', 'Minimize')),
            metric_name       TEXT NOT NULL,
            search_space_json TEXT NOT NULL,
            created_at        TEXT NOT NULL
        );

        CREATE TABLE study_attributes (
            study_id INTEGER NOT NULL REFERENCES studies (study_id) ON DELETE CASCADE,
            key      TEXT NOT NULL,
            value    TEXT NOT NULL,
            PRIMARY KEY (study_id, key)
        ) WITHOUT ROWID;

        -- AUTOINCREMENT: ids never go back, even after deletes, so they order trials by creation.
        CREATE TABLE trials (
            trial_id                  INTEGER PRIMARY KEY AUTOINCREMENT,
            study_id                  INTEGER NOT NULL REFERENCES studies (study_id) ON DELETE CASCADE,
            status                    TEXT NOT NULL CHECK (status IN ('Running', 'Completed', 'Pruned', 'Failed', 'Diverged')),
            parameters_json           TEXT NOT NULL,
            trainer                   TEXT,
            objective                 REAL,
            objective_is_nan          INTEGER NOT NULL DEFAULT 0,
            validation_metric         REAL,
            validation_metric_is_nan  INTEGER NOT NULL DEFAULT 0,
            train_metric              REAL,
            train_metric_is_nan       INTEGER NOT NULL DEFAULT 0,
            generalization_gap        REAL,
            generalization_gap_is_nan INTEGER NOT NULL DEFAULT 0,
            error                     TEXT,
            started_at                TEXT NOT NULL,
            finished_at               TEXT,
            duration_seconds          REAL NOT NULL DEFAULT 0,
            worker_id                 TEXT NOT NULL,
            worker_pid                INTEGER NOT NULL,
            worker_machine            TEXT NOT NULL,
            worker_process_started_at TEXT,
            heartbeat_at              TEXT NOT NULL
        );
        CREATE INDEX trials_by_study ON trials (study_id, trial_id);

        -- value NULL means NaN (a diverged epoch); a reported value is never missing.
        CREATE TABLE trial_values (
            trial_id INTEGER NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
            step     INTEGER NOT NULL,
            value    REAL,
            PRIMARY KEY (trial_id, step)
        ) WITHOUT ROWID;

        CREATE TABLE trial_attributes (
            trial_id INTEGER NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
            key      TEXT NOT NULL,
            value    TEXT NOT NULL,
            PRIMARY KEY (trial_id, key)
        ) WITHOUT ROWID;
        """;

    /// <summary>Whether <paramref name="path"/> is an existing study file in this schema (not Optuna's).</summary>
    public static bool IsThisSchema(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return false;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_version', 'alembic_version');";
            return command.ExecuteScalar() as string == "schema_version";
        }
        catch (SqliteException e)
        {
            throw SqliteFaults.Wrap(e, path);
        }
    }

    /// <summary>Connection settings, applied to every connection (they are not stored in the file, except WAL).</summary>
    public static void Configure(SqliteConnection connection, SqliteStudyStorageOptions options)
    {
        // First, so that switching to WAL also waits for another process that holds the file.
        Execute(connection, null, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};");
        // A reader leaves the file's journal mode as its writer set it.
        if (options.ReadOnly) return;
        // WAL: readers never block the writer, and a commit is one append to the -wal file.
        Execute(connection, null, "PRAGMA journal_mode = WAL;");
        Execute(connection, null, $"PRAGMA synchronous = {(options.FlushEveryCommit ? "FULL" : "NORMAL")};");
        Execute(connection, null, "PRAGMA foreign_keys = ON;");
    }

    /// <summary>Creates the tables in a new file, or checks the version of an existing one.</summary>
    public static void EnsureCreated(SqliteConnection connection, string path)
    {
        // IMMEDIATE: two processes opening a new file at once must not both create the tables.
        using var transaction = connection.BeginTransaction(deferred: false);
        bool exists = Scalar(connection, transaction,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';") is long n && n > 0;
        if (!exists)
        {
            if (Scalar(connection, transaction, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version';") is long optuna && optuna > 0)
                throw new StudyStorageException(StorageFault.Incompatible, $"The study file '{path}' is in Optuna's schema: open it with StudyStorageFactory.Open (RdbStudyStorage).");
            Execute(connection, transaction, CreateTables);
            Execute(connection, transaction, $"INSERT INTO schema_version (version) VALUES ({Version});");
        }
        else CheckVersion(connection, transaction, path);
        transaction.Commit();
    }

    /// <summary>Checks that an existing file holds a study of a schema version this build reads.</summary>
    public static void CheckVersion(SqliteConnection connection, SqliteTransaction? transaction, string path)
    {
        bool exists = Scalar(connection, transaction,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';") is long n && n > 0;
        var stored = exists ? Scalar(connection, transaction, "SELECT max(version) FROM schema_version;") : null;
        if (stored is not long version)
            throw new StudyStorageException(StorageFault.Incompatible, $"The study file '{path}' has no schema version; it was not written by this storage.");
        if (version > Version)
            throw new StudyStorageException(StorageFault.Incompatible,
                $"The study file '{path}' has schema version {version}, newer than version {Version} that this build reads. Update Pipelines.AutoML.");
    }

    static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
