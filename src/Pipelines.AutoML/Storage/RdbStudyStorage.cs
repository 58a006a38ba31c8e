using System.Data;
using System.Data.Common;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Study storage in Optuna's RDB schema (<see cref="OptunaSchema"/>), in a SQLite file or a PostgreSQL database,
/// so that many workers share one study and <c>optuna.load_study</c> reads it. What Optuna has no column for lives
/// in system attributes (<see cref="OptunaAttributes"/>); a trial's own attributes are Optuna user attributes. Every
/// call is one transaction on the instance's one connection, used under a lock; a connection fault is a transient
/// <see cref="StudyStorageException"/> and the next call opens a new connection, so the factory's
/// <see cref="RetryingStudyStorage"/> turns a restarted server into retries, not failed trials.
/// </summary>
public sealed class RdbStudyStorage : SqlStudyStorage<DbTransaction>
{
    readonly RdbDialect _dialect;
    DbConnection? _connection;

    RdbStudyStorage(RdbDialect dialect, StudyStorageOptions options) : base(options)
    {
        _dialect = dialect;
        Guard(() =>
        {
            OptunaSchema.EnsureCreated(Connection(), _dialect);
            return 0;
        });
    }

    /// <summary>Opens (creating it and its tables when needed) the SQLite file at <paramref name="path"/>.</summary>
    public static RdbStudyStorage Sqlite(string path, SqliteStudyStorageOptions? options = null)
    {
        options ??= new SqliteStudyStorageOptions();
        return new RdbStudyStorage(new SqliteRdbDialect(path, options), options);
    }

    /// <summary>Opens the PostgreSQL database of <paramref name="url"/> (postgresql://USER[:PASSWORD]@HOST[:PORT]/DB), creating the tables when it has none.</summary>
    public static RdbStudyStorage Postgres(string url, StudyStorageOptions? options = null) =>
        new(new PostgresRdbDialect(url), options ?? new StudyStorageOptions());

    /// <summary>The database: the file's full path, or the URL without its password.</summary>
    public string Location => _dialect.Location;

    protected override StudyRecord OpenStudy(DbTransaction transaction, string studyName, OptimizationDirection direction,
        string metricName, string searchSpaceJson, IReadOnlyDictionary<string, string> attributes)
    {
        // Insert-or-keep throughout: two workers creating the same study at once both end up opening one.
        RdbSql.Execute(transaction, "INSERT INTO studies (study_name) VALUES (@name) ON CONFLICT (study_name) DO NOTHING;", ("@name", studyName));
        long studyId = StudyId(transaction, studyName, lockRow: false)!.Value;
        RdbSql.Execute(transaction, $"""
            INSERT INTO study_directions (direction, study_id, objective) VALUES ({_dialect.Enum("@direction", "studydirection")}, @study, 0)
            ON CONFLICT (study_id, objective) DO NOTHING;
            """, ("@direction", direction == OptimizationDirection.Maximize ? "MAXIMIZE" : "MINIMIZE"), ("@study", (int)studyId));
        var system = new Dictionary<string, string>
        {
            [OptunaAttributes.MetricName] = OptunaJson.String(metricName),
            [OptunaAttributes.SearchSpace] = OptunaJson.String(searchSpaceJson),
            [OptunaAttributes.CreatedAt] = OptunaJson.Time(Clock.GetUtcNow()),
        };
        foreach (var (key, json) in system) AddStudyAttribute(transaction, "study_system_attributes", studyId, key, json);
        var stored = RdbStudyReader.Read(transaction, studyName)!;
        StudyMismatchException.ThrowIfDifferent(stored, direction, metricName);
        foreach (var (key, value) in attributes)
            AddStudyAttribute(transaction, "study_user_attributes", studyId, key, OptunaJson.String(value));
        return RdbStudyReader.Read(transaction, studyName)!;
    }

    protected override StudyRecord? ReadStudy(DbTransaction transaction, string studyName) => RdbStudyReader.Read(transaction, studyName);

    protected override IReadOnlyList<string> ReadStudyNames(DbTransaction transaction) =>
        RdbSql.Rows(transaction, "SELECT study_name FROM studies ORDER BY study_id;", r => r.GetString(0));

    protected override int InsertTrial(DbTransaction transaction, long studyId, Parameter parameters, string? trainer, DateTimeOffset startedAt)
    {
        // The study's row lock (PostgreSQL; SQLite's write lock already) makes count-then-insert give unique numbers.
        long number = Convert.ToInt64(RdbSql.Scalar(transaction, "SELECT count(*) FROM trials WHERE study_id = @study;", ("@study", (int)studyId)));
        int trialId = Convert.ToInt32(RdbSql.Scalar(transaction, """
            INSERT INTO trials (number, study_id, state, datetime_start) VALUES (@number, @study, 'RUNNING', @start) RETURNING trial_id;
            """, ("@number", (int)number), ("@study", (int)studyId), ("@start", _dialect.WriteTime(startedAt))));
        SetSystemAttribute(transaction, trialId, OptunaAttributes.StartedAt, OptunaJson.Time(startedAt));
        SetSystemAttribute(transaction, trialId, OptunaAttributes.Worker, OptunaJson.Worker(Worker));
        WriteParameters(transaction, trialId, parameters, trainer);
        RdbSql.Execute(transaction, "INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@trial, @now);",
            ("@trial", trialId), ("@now", _dialect.WriteTime(Clock.GetUtcNow())));
        return trialId;
    }

    protected override void ReplaceParameters(DbTransaction transaction, int trialId, Parameter parameters, string? trainer)
    {
        RdbSql.Execute(transaction, "DELETE FROM trial_params WHERE trial_id = @trial;", ("@trial", trialId));
        WriteParameters(transaction, trialId, parameters, trainer);
    }

    protected override void WriteIntermediate(DbTransaction transaction, int trialId, int step, double value)
    {
        var (stored, type) = RdbTrialReader.Stored(value);
        RdbSql.Execute(transaction, $"""
            INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
            VALUES (@trial, @step, @value, {_dialect.Enum("@type", "trialintermediatevaluetype")})
            ON CONFLICT (trial_id, step) DO UPDATE SET
                intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type;
            """, ("@trial", trialId), ("@step", step), ("@value", stored), ("@type", type));
    }

    protected override void WriteAttribute(DbTransaction transaction, int trialId, string key, string value) =>
        Upsert(transaction, "trial_user_attributes", trialId, key, OptunaJson.String(value));

    protected override void WriteOutcome(DbTransaction transaction, int trialId, TrialOutcome outcome)
    {
        RdbSql.Execute(transaction, $"UPDATE trials SET state = '{RdbTrialReader.State(outcome.Status)}', datetime_complete = @finished WHERE trial_id = @trial;",
            ("@finished", _dialect.WriteTime(outcome.FinishedAt)), ("@trial", trialId));
        if (outcome.Objective is double o && !double.IsNaN(o))
        {
            var (stored, type) = RdbTrialReader.Stored(o);
            RdbSql.Execute(transaction, $"""
                INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (@trial, 0, @value, {_dialect.Enum("@type", "trialvaluetype")});
                """, ("@trial", trialId), ("@value", stored), ("@type", type));
        }
        var system = new List<(string Key, string? Json)>
        {
            (OptunaAttributes.NanObjective, outcome.Objective is double.NaN ? OptunaJson.Number(double.NaN) : null),
            (OptunaAttributes.ValidationMetric, outcome.ValidationMetric is double v ? OptunaJson.Number(v) : null),
            (OptunaAttributes.TrainMetric, outcome.TrainMetric is double t ? OptunaJson.Number(t) : null),
            (OptunaAttributes.GeneralizationGap, outcome.GeneralizationGap is double g ? OptunaJson.Number(g) : null),
            (OptunaAttributes.FailReason, outcome.Error is null ? null : OptunaJson.String(outcome.Error)),
            (OptunaAttributes.Diverged, outcome.Status == TrialStatus.Diverged ? "true" : null),
            (OptunaAttributes.FinishedAt, OptunaJson.Time(outcome.FinishedAt)),
            (OptunaAttributes.DurationSeconds, OptunaJson.Number(outcome.DurationSeconds)),
        };
        foreach (var (key, json) in system)
            if (json is not null) SetSystemAttribute(transaction, trialId, key, json);
    }

    private protected override List<TrialRecord> ReadTrials(DbTransaction transaction, TrialFilter filter) =>
        RdbTrialReader.Read(transaction, _dialect, filter);

    /// <summary>The Running trials of a study with their owner, start and last heartbeat (the start when none was written).</summary>
    protected override IEnumerable<RunningTrial> RunningTrials(DbTransaction transaction, long studyId) =>
        RdbSql.Rows(transaction, $"""
            SELECT t.trial_id, w.value_json, s.value_json, t.datetime_start, h.heartbeat FROM trials t
            LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id
            LEFT JOIN trial_system_attributes w ON w.trial_id = t.trial_id AND w."key" = '{OptunaAttributes.Worker}'
            LEFT JOIN trial_system_attributes s ON s.trial_id = t.trial_id AND s."key" = '{OptunaAttributes.StartedAt}'
            WHERE t.study_id = @study AND t.state = 'RUNNING' ORDER BY t.trial_id;
            """, r =>
            {
                var startedAt = !r.IsDBNull(2) ? OptunaJson.ReadTime(r.GetString(2))
                    : !r.IsDBNull(3) ? _dialect.ReadTime(r.GetValue(3)) : DateTimeOffset.UnixEpoch;
                return new RunningTrial(r.GetInt32(0), OptunaJson.ReadWorker(r.IsDBNull(1) ? null : r.GetString(1)), startedAt,
                    r.IsDBNull(4) ? startedAt : _dialect.ReadTime(r.GetValue(4)));
            }, ("@study", (int)studyId));

    protected override bool MarkInterrupted(DbTransaction transaction, int trialId, DateTimeOffset heartbeat, double durationSeconds)
    {
        if (RdbSql.Execute(transaction, "UPDATE trials SET state = 'FAIL', datetime_complete = @finished WHERE trial_id = @trial AND state = 'RUNNING';",
                ("@finished", _dialect.WriteTime(heartbeat)), ("@trial", trialId)) != 1) return false;
        SetSystemAttribute(transaction, trialId, OptunaAttributes.FailReason, OptunaJson.String(IStudyStorage.InterruptedError));
        SetSystemAttribute(transaction, trialId, OptunaAttributes.FinishedAt, OptunaJson.Time(heartbeat));
        SetSystemAttribute(transaction, trialId, OptunaAttributes.DurationSeconds, OptunaJson.Number(durationSeconds));
        return true;
    }

    protected override void Close()
    {
        _connection?.Dispose();
        _connection = null;
    }

    void WriteParameters(DbTransaction transaction, int trialId, Parameter parameters, string? trainer)
    {
        foreach (var param in OptunaParams.Flatten(parameters))
            RdbSql.Execute(transaction, "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (@trial, @name, @value, @distribution);",
                ("@trial", trialId), ("@name", param.Name), ("@value", param.Value), ("@distribution", param.DistributionJson));
        SetSystemAttribute(transaction, trialId, OptunaAttributes.Parameters, parameters.ToJson());
        if (trainer is null)
            RdbSql.Execute(transaction, "DELETE FROM trial_system_attributes WHERE trial_id = @trial AND \"key\" = @key;",
                ("@trial", trialId), ("@key", OptunaAttributes.Trainer));
        else SetSystemAttribute(transaction, trialId, OptunaAttributes.Trainer, OptunaJson.String(trainer));
    }

    void SetSystemAttribute(DbTransaction transaction, int trialId, string key, string json) =>
        Upsert(transaction, "trial_system_attributes", trialId, key, json);

    static void Upsert(DbTransaction transaction, string table, int trialId, string key, string json) =>
        RdbSql.Execute(transaction, $"""
            INSERT INTO {table} (trial_id, "key", value_json) VALUES (@trial, @key, @value)
            ON CONFLICT (trial_id, "key") DO UPDATE SET value_json = excluded.value_json;
            """, ("@trial", trialId), ("@key", key), ("@value", json));

    /// <summary>Adds a study attribute unless the study has it already (a reopened study keeps its first values).</summary>
    static void AddStudyAttribute(DbTransaction transaction, string table, long studyId, string key, string json) =>
        RdbSql.Execute(transaction, $"""
            INSERT INTO {table} (study_id, "key", value_json) VALUES (@study, @key, @value) ON CONFLICT (study_id, "key") DO NOTHING;
            """, ("@study", (int)studyId), ("@key", key), ("@value", json));

    protected override long? StudyId(DbTransaction transaction, string studyName, bool lockRow) =>
        RdbSql.Scalar(transaction, $"SELECT study_id FROM studies WHERE study_name = @name{(lockRow ? _dialect.ForUpdate : "")};",
            ("@name", studyName)) is { } id ? Convert.ToInt64(id) : null;

    /// <summary>The trial's status, its row locked for the rest of the transaction (PostgreSQL).</summary>
    protected override TrialStatus ReadStatus(DbTransaction transaction, int trialId) =>
        RdbSql.Scalar(transaction, $"SELECT CAST(state AS TEXT) FROM trials WHERE trial_id = @trial{_dialect.ForUpdate};", ("@trial", trialId)) switch
        {
            "RUNNING" or "WAITING" => TrialStatus.Running,
            "COMPLETE" => TrialStatus.Completed,
            "PRUNED" => TrialStatus.Pruned,
            string => TrialStatus.Failed,
            _ => throw StudyStorageChecks.UnknownTrial(trialId),
        };

    /// <summary>A failed trial's status as the record has it (Diverged is a FAIL with a system attribute).</summary>
    protected override TrialStatus FinalStatus(DbTransaction transaction, int trialId, TrialStatus status) =>
        status == TrialStatus.Failed && RdbSql.Scalar(transaction, "SELECT count(*) FROM trial_system_attributes WHERE trial_id = @trial AND \"key\" = @key;",
            ("@trial", trialId), ("@key", OptunaAttributes.Diverged)) is { } n && Convert.ToInt64(n) > 0 ? TrialStatus.Diverged : status;

    protected override void TouchHeartbeat(DbTransaction transaction, int trialId) =>
        RdbSql.Execute(transaction, """
            INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@trial, @now)
            ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat;
            """, ("@trial", trialId), ("@now", _dialect.WriteTime(Clock.GetUtcNow())));

    /// <summary>One transaction on the open connection; after a lost connection the next call opens a new one.</summary>
    protected override T Transact<T>(bool write, Func<DbTransaction, T> body) => Guard(() =>
    {
        using var transaction = _dialect.Begin(Connection(), write);
        var result = body(transaction);
        transaction.Commit();
        return result;
    });

    /// <summary>The open connection, or a new one when there is none or the last one broke.</summary>
    DbConnection Connection()
    {
        if (_connection is { State: ConnectionState.Open }) return _connection;
        _connection?.Dispose();
        _connection = null;
        return _connection = _dialect.Open();
    }

    /// <summary>Runs <paramref name="body"/> with the driver's errors classified; a broken connection is dropped for the next call.</summary>
    T Guard<T>(Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (_dialect.Classify(e) is { } fault)
        {
            if (_dialect.Reconnects(fault))
            {
                _connection?.Dispose();
                _connection = null;
            }
            throw fault;
        }
    }
}
