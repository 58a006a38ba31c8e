using System.Data.Common;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Optuna 3.1's RDB schema (<c>optuna/storages/_rdb/models.py</c>, alembic head <c>v3.0.0.d</c>, schema version 12),
/// table for table as SQLAlchemy creates it, so that <c>optuna.load_study</c> opens a Pipelines study and Pipelines
/// opens one Optuna created. The DDL is written once with engine tokens that <see cref="Spell"/> replaces:
/// <c>{id}</c> (an autoincrementing integer key), <c>{time}</c>, <c>{float}</c>, and <c>{enum:TYPE:LENGTH}</c>
/// (PostgreSQL's native enum TYPE, SQLite's VARCHAR(LENGTH)). docs/distributed.md says which Optuna versions read it.
/// </summary>
internal static class OptunaSchema
{
    /// <summary><c>models.SCHEMA_VERSION</c> of Optuna 3.1.</summary>
    public const int SchemaVersion = 12;

    /// <summary>The Optuna version written into <c>version_info</c>: the one whose schema this is.</summary>
    public const string LibraryVersion = "3.1.0";

    /// <summary>The alembic revision this storage writes.</summary>
    public const string AlembicHead = "v3.0.0.d";

    /// <summary>
    /// Revisions this storage reads and writes: its own, and Optuna 3.2's <c>v3.2.0.a</c>, which only adds an index
    /// on <c>trials.study_id</c> (what <c>optuna storage upgrade</c> does to a study from a newer Optuna).
    /// </summary>
    public static readonly IReadOnlySet<string> ReadableRevisions = new HashSet<string> { AlembicHead, "v3.2.0.a" };

    public const string Tables = """
        CREATE TABLE studies (
            study_id {id},
            study_name VARCHAR(512) NOT NULL,
            PRIMARY KEY (study_id)
        );
        CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);
        CREATE TABLE version_info (
            version_info_id INTEGER NOT NULL,
            schema_version INTEGER,
            library_version VARCHAR(256),
            PRIMARY KEY (version_info_id),
            CHECK (version_info_id=1)
        );
        CREATE TABLE study_directions (
            study_direction_id {id},
            direction {enum:studydirection:8} NOT NULL,
            study_id INTEGER NOT NULL,
            objective INTEGER NOT NULL,
            PRIMARY KEY (study_direction_id),
            UNIQUE (study_id, objective),
            FOREIGN KEY(study_id) REFERENCES studies (study_id)
        );
        CREATE TABLE study_user_attributes (
            study_user_attribute_id {id},
            study_id INTEGER,
            "key" VARCHAR(512),
            value_json TEXT,
            PRIMARY KEY (study_user_attribute_id),
            UNIQUE (study_id, "key"),
            FOREIGN KEY(study_id) REFERENCES studies (study_id)
        );
        CREATE TABLE study_system_attributes (
            study_system_attribute_id {id},
            study_id INTEGER,
            "key" VARCHAR(512),
            value_json TEXT,
            PRIMARY KEY (study_system_attribute_id),
            UNIQUE (study_id, "key"),
            FOREIGN KEY(study_id) REFERENCES studies (study_id)
        );
        CREATE TABLE trials (
            trial_id {id},
            number INTEGER,
            study_id INTEGER,
            state {enum:trialstate:8} NOT NULL,
            datetime_start {time},
            datetime_complete {time},
            PRIMARY KEY (trial_id),
            FOREIGN KEY(study_id) REFERENCES studies (study_id)
        );
        CREATE TABLE trial_user_attributes (
            trial_user_attribute_id {id},
            trial_id INTEGER,
            "key" VARCHAR(512),
            value_json TEXT,
            PRIMARY KEY (trial_user_attribute_id),
            UNIQUE (trial_id, "key"),
            FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_system_attributes (
            trial_system_attribute_id {id},
            trial_id INTEGER,
            "key" VARCHAR(512),
            value_json TEXT,
            PRIMARY KEY (trial_system_attribute_id),
            UNIQUE (trial_id, "key"),
            FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_params (
            param_id {id},
            trial_id INTEGER,
            param_name VARCHAR(512),
            param_value {float},
            distribution_json TEXT,
            PRIMARY KEY (param_id),
            UNIQUE (trial_id, param_name),
            FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_values (
            trial_value_id {id},
            trial_id INTEGER NOT NULL,
            objective INTEGER NOT NULL,
            value {float},
            value_type {enum:trialvaluetype:7} NOT NULL,
            PRIMARY KEY (trial_value_id),
            UNIQUE (trial_id, objective),
            FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_intermediate_values (
            trial_intermediate_value_id {id},
            trial_id INTEGER NOT NULL,
            step INTEGER NOT NULL,
            intermediate_value {float},
            intermediate_value_type {enum:trialintermediatevaluetype:7} NOT NULL,
            PRIMARY KEY (trial_intermediate_value_id),
            UNIQUE (trial_id, step),
            FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE trial_heartbeats (
            trial_heartbeat_id {id},
            trial_id INTEGER NOT NULL,
            heartbeat {time} NOT NULL,
            PRIMARY KEY (trial_heartbeat_id),
            UNIQUE (trial_id),
            FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
        );
        CREATE TABLE alembic_version (
            version_num VARCHAR(32) NOT NULL,
            CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
        );
        """;

    /// <summary>PostgreSQL's enum types, as SQLAlchemy names them (the Python enum's name, lower case).</summary>
    public const string PostgresEnums = """
        CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE');
        CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING');
        CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG');
        CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN');
        """;

    /// <summary><see cref="Tables"/> with its tokens replaced.</summary>
    public static string Spell(string id, string time, string @float, Func<string, int, string> @enum) =>
        System.Text.RegularExpressions.Regex.Replace(
            Tables.Replace("{id}", id).Replace("{time}", time).Replace("{float}", @float),
            @"\{enum:(\w+):(\d+)\}", m => @enum(m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Creates the tables in an empty database, or checks that an existing one is a schema this build reads.</summary>
    public static void EnsureCreated(DbConnection connection, RdbDialect dialect)
    {
        using var transaction = dialect.Begin(connection, write: true);
        if (!string.IsNullOrEmpty(dialect.SchemaLockSql)) RdbSql.Execute(transaction, dialect.SchemaLockSql);
        if (Convert.ToInt64(RdbSql.Scalar(transaction, dialect.TableExistsSql, ("@table", "alembic_version"))) == 0)
        {
            if (Convert.ToInt64(RdbSql.Scalar(transaction, dialect.TableExistsSql, ("@table", "studies"))) != 0)
                throw new StudyStorageException(StorageFault.Incompatible,
                    $"The study storage '{dialect.Location}' has a 'studies' table but no alembic_version: it is not an Optuna schema this build reads.");
            RdbSql.Execute(transaction, dialect.CreateTablesSql);
            RdbSql.Execute(transaction, "INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, @schema, @library);",
                ("@schema", SchemaVersion), ("@library", LibraryVersion));
            RdbSql.Execute(transaction, "INSERT INTO alembic_version (version_num) VALUES (@head);", ("@head", AlembicHead));
        }
        else
        {
            var revision = RdbSql.Scalar(transaction, "SELECT version_num FROM alembic_version;") as string;
            if (revision is null || !ReadableRevisions.Contains(revision))
                throw new StudyStorageException(StorageFault.Incompatible,
                    $"The study storage '{dialect.Location}' has Optuna schema revision '{revision ?? "none"}'; this build reads " +
                    $"{string.Join(" and ", ReadableRevisions.Order())}. Use a study written by Optuna 3.0 to 3.2 or by Pipelines, or a new study storage.");
        }
        transaction.Commit();
    }
}
