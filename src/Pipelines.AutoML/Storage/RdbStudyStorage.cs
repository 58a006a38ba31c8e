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
public sealed class RdbStudyStorage : IStudyStorage
{
    readonly object _gate = new();
    readonly RdbDialect _dialect;
    readonly TimeProvider _clock;
    readonly TimeSpan _heartbeatTimeout;
    DbConnection? _connection;
    bool _disposed;

    RdbStudyStorage(RdbDialect dialect, StudyStorageOptions options)
    {
        _dialect = dialect;
        Worker = options.Worker ?? WorkerIdentity.ForCurrentProcess();
        _clock = options.Clock;
        _heartbeatTimeout = options.HeartbeatTimeout;
        lock (_gate) Guard(() =>
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

    public WorkerIdentity Worker { get; }

    public StudyRecord CreateOrOpenStudy(string studyName, OptimizationDirection direction, string metricName,
        string searchSpaceJson, IReadOnlyDictionary<string, string>? attributes = null)
    {
        StudyStorageChecks.StudyArguments(studyName, metricName, searchSpaceJson);
        foreach (var (key, value) in attributes ?? new Dictionary<string, string>()) StudyStorageChecks.Attribute(key, value);
        return InTransaction(write: true, transaction =>
        {
            // Insert-or-keep throughout: two workers creating the same study at once both end up opening one.
            RdbSql.Execute(transaction, "INSERT INTO studies (study_name) VALUES (@name) ON CONFLICT (study_name) DO NOTHING;", ("@name", studyName));
            int studyId = StudyId(transaction, studyName, lockRow: false)!.Value;
            RdbSql.Execute(transaction, $"""
                INSERT INTO study_directions (direction, study_id, objective) VALUES ({_dialect.Enum("@direction", "studydirection")}, @study, 0)
                ON CONFLICT (study_id, objective) DO NOTHING;
                """, ("@direction", direction == OptimizationDirection.Maximize ? "MAXIMIZE" : "MINIMIZE"), ("@study", studyId));
            var system = new Dictionary<string, string>
            {
                [OptunaAttributes.MetricName] = OptunaJson.String(metricName),
                [OptunaAttributes.SearchSpace] = OptunaJson.String(searchSpaceJson),
                [OptunaAttributes.CreatedAt] = OptunaJson.Time(_clock.GetUtcNow()),
            };
            foreach (var (key, json) in system) AddStudyAttribute(transaction, "study_system_attributes", studyId, key, json);
            var stored = RdbStudyReader.Read(transaction, studyName)!;
            StudyMismatchException.ThrowIfDifferent(stored, direction, metricName);
            foreach (var (key, value) in attributes ?? new Dictionary<string, string>())
                AddStudyAttribute(transaction, "study_user_attributes", studyId, key, OptunaJson.String(value));
            return RdbStudyReader.Read(transaction, studyName)!;
        });
    }

    public StudyRecord? GetStudy(string studyName)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        return InTransaction(write: false, transaction => RdbStudyReader.Read(transaction, studyName));
    }

    public IReadOnlyList<string> GetStudyNames() => InTransaction(write: false, transaction =>
        RdbSql.Rows(transaction, "SELECT study_name FROM studies ORDER BY study_id;", r => r.GetString(0)));

    public int CreateTrial(string studyName, Parameter parameters, string? trainer, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        ArgumentNullException.ThrowIfNull(parameters);
        return InTransaction(write: true, transaction =>
        {
            // The study's row lock (PostgreSQL; SQLite's write lock already) makes count-then-insert give unique numbers.
            int studyId = StudyId(transaction, studyName, lockRow: true) ?? throw StudyStorageChecks.UnknownStudy(studyName);
            long number = Convert.ToInt64(RdbSql.Scalar(transaction, "SELECT count(*) FROM trials WHERE study_id = @study;", ("@study", studyId)));
            int trialId = Convert.ToInt32(RdbSql.Scalar(transaction, """
                INSERT INTO trials (number, study_id, state, datetime_start) VALUES (@number, @study, 'RUNNING', @start) RETURNING trial_id;
                """, ("@number", (int)number), ("@study", studyId), ("@start", _dialect.WriteTime(startedAt))));
            SetSystemAttribute(transaction, trialId, OptunaAttributes.StartedAt, OptunaJson.Time(startedAt));
            SetSystemAttribute(transaction, trialId, OptunaAttributes.Worker, OptunaJson.Worker(Worker));
            WriteParameters(transaction, trialId, parameters, trainer);
            RdbSql.Execute(transaction, "INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@trial, @now);",
                ("@trial", trialId), ("@now", _dialect.WriteTime(_clock.GetUtcNow())));
            return trialId;
        });
    }

    public void SetTrialParameters(int trialId, Parameter parameters, string? trainer)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        InTransaction(write: true, transaction =>
        {
            RequireRunning(transaction, trialId);
            RdbSql.Execute(transaction, "DELETE FROM trial_params WHERE trial_id = @trial;", ("@trial", trialId));
            WriteParameters(transaction, trialId, parameters, trainer);
            TouchHeartbeat(transaction, trialId);
            return 0;
        });
    }

    public void ReportIntermediate(int trialId, int step, double value)
    {
        StudyStorageChecks.Step(step);
        InTransaction(write: true, transaction =>
        {
            RequireRunning(transaction, trialId);
            var (stored, type) = RdbTrialReader.Stored(value);
            RdbSql.Execute(transaction, $"""
                INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
                VALUES (@trial, @step, @value, {_dialect.Enum("@type", "trialintermediatevaluetype")})
                ON CONFLICT (trial_id, step) DO UPDATE SET
                    intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type;
                """, ("@trial", trialId), ("@step", step), ("@value", stored), ("@type", type));
            TouchHeartbeat(transaction, trialId);
            return 0;
        });
    }

    public void SetTrialAttribute(int trialId, string key, string value)
    {
        StudyStorageChecks.Attribute(key, value);
        InTransaction(write: true, transaction =>
        {
            var status = ReadStatus(transaction, trialId);
            Upsert(transaction, "trial_user_attributes", trialId, key, OptunaJson.String(value));
            if (status == TrialStatus.Running) TouchHeartbeat(transaction, trialId);
            return 0;
        });
    }

    public bool Heartbeat(int trialId) => InTransaction(write: true, transaction =>
    {
        if (ReadStatus(transaction, trialId) != TrialStatus.Running) return false;
        TouchHeartbeat(transaction, trialId);
        return true;
    });

    public void FinishTrial(int trialId, TrialStatus status, double? objective, double? validationMetric, double? trainMetric,
        double? generalizationGap, string? error, DateTimeOffset finishedAt, double durationSeconds)
    {
        StudyStorageChecks.Finish(status, durationSeconds);
        InTransaction(write: true, transaction =>
        {
            RequireRunning(transaction, trialId);
            RdbSql.Execute(transaction, $"UPDATE trials SET state = '{RdbTrialReader.State(status)}', datetime_complete = @finished WHERE trial_id = @trial;",
                ("@finished", _dialect.WriteTime(finishedAt)), ("@trial", trialId));
            if (objective is double o && !double.IsNaN(o))
            {
                var (stored, type) = RdbTrialReader.Stored(o);
                RdbSql.Execute(transaction, $"""
                    INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (@trial, 0, @value, {_dialect.Enum("@type", "trialvaluetype")});
                    """, ("@trial", trialId), ("@value", stored), ("@type", type));
            }
            var system = new List<(string Key, string? Json)>
            {
                (OptunaAttributes.NanObjective, objective is double.NaN ? OptunaJson.Number(double.NaN) : null),
                (OptunaAttributes.ValidationMetric, validationMetric is double v ? OptunaJson.Number(v) : null),
                (OptunaAttributes.TrainMetric, trainMetric is double t ? OptunaJson.Number(t) : null),
                (OptunaAttributes.GeneralizationGap, generalizationGap is double g ? OptunaJson.Number(g) : null),
                (OptunaAttributes.FailReason, error is null ? null : OptunaJson.String(error)),
                (OptunaAttributes.Diverged, status == TrialStatus.Diverged ? "true" : null),
                (OptunaAttributes.FinishedAt, OptunaJson.Time(finishedAt)),
                (OptunaAttributes.DurationSeconds, OptunaJson.Number(durationSeconds)),
            };
            foreach (var (key, json) in system)
                if (json is not null) SetSystemAttribute(transaction, trialId, key, json);
            return 0;
        });
    }

    public IReadOnlyList<TrialRecord> GetTrials(string studyName)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        return InTransaction(write: false, transaction =>
        {
            int studyId = StudyId(transaction, studyName, lockRow: false) ?? throw StudyStorageChecks.UnknownStudy(studyName);
            return RdbTrialReader.Read(transaction, _dialect, RdbTrialReader.ByStudy, studyId);
        });
    }

    public TrialRecord GetTrial(int trialId) => InTransaction(write: false, transaction =>
    {
        var trials = RdbTrialReader.Read(transaction, _dialect, RdbTrialReader.ByTrial, trialId);
        return trials.Count == 1 ? trials[0] : throw StudyStorageChecks.UnknownTrial(trialId);
    });

    public IReadOnlyList<TrialRecord> RecoverInterruptedTrials(string studyName, TimeSpan? heartbeatTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        var timeout = heartbeatTimeout ?? _heartbeatTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(heartbeatTimeout));
        // Under the study's lock: two workers recovering at once cannot both recover (and re-queue) a trial.
        return InTransaction(write: true, transaction =>
        {
            int studyId = StudyId(transaction, studyName, lockRow: true) ?? throw StudyStorageChecks.UnknownStudy(studyName);
            var now = _clock.GetUtcNow();
            var interrupted = RunningTrials(transaction, studyId)
                .Where(t => InterruptedTrialDetector.IsInterrupted(t.Owner, t.Heartbeat, Worker, now, timeout)).ToList();
            var recovered = new HashSet<int>();
            foreach (var (id, _, startedAt, heartbeat) in interrupted)
            {
                // The last heartbeat is the last moment the trial is known to have run.
                if (RdbSql.Execute(transaction, "UPDATE trials SET state = 'FAIL', datetime_complete = @finished WHERE trial_id = @trial AND state = 'RUNNING';",
                        ("@finished", _dialect.WriteTime(heartbeat)), ("@trial", id)) != 1) continue;
                SetSystemAttribute(transaction, id, OptunaAttributes.FailReason, OptunaJson.String(IStudyStorage.InterruptedError));
                SetSystemAttribute(transaction, id, OptunaAttributes.FinishedAt, OptunaJson.Time(heartbeat));
                SetSystemAttribute(transaction, id, OptunaAttributes.DurationSeconds, OptunaJson.Number(Math.Max(0, (heartbeat - startedAt).TotalSeconds)));
                recovered.Add(id);
            }
            if (recovered.Count == 0) return (IReadOnlyList<TrialRecord>)Array.Empty<TrialRecord>();
            return RdbTrialReader.Read(transaction, _dialect, RdbTrialReader.ByStudy, studyId).Where(t => recovered.Contains(t.Id)).ToList();
        });
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
    }

    /// <summary>The Running trials of a study with their owner, start and last heartbeat (the start when none was written).</summary>
    List<(int Id, WorkerIdentity Owner, DateTimeOffset StartedAt, DateTimeOffset Heartbeat)> RunningTrials(DbTransaction transaction, int studyId) =>
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
                return (r.GetInt32(0), OptunaJson.ReadWorker(r.IsDBNull(1) ? null : r.GetString(1)), startedAt,
                    r.IsDBNull(4) ? startedAt : _dialect.ReadTime(r.GetValue(4)));
            }, ("@study", studyId));

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
    static void AddStudyAttribute(DbTransaction transaction, string table, int studyId, string key, string json) =>
        RdbSql.Execute(transaction, $"""
            INSERT INTO {table} (study_id, "key", value_json) VALUES (@study, @key, @value) ON CONFLICT (study_id, "key") DO NOTHING;
            """, ("@study", studyId), ("@key", key), ("@value", json));

    int? StudyId(DbTransaction transaction, string studyName, bool lockRow) =>
        RdbSql.Scalar(transaction, $"SELECT study_id FROM studies WHERE study_name = @name{(lockRow ? _dialect.ForUpdate : "")};",
            ("@name", studyName)) is { } id ? Convert.ToInt32(id) : null;

    /// <summary>The trial's status, its row locked for the rest of the transaction (PostgreSQL).</summary>
    TrialStatus ReadStatus(DbTransaction transaction, int trialId) =>
        RdbSql.Scalar(transaction, $"SELECT CAST(state AS TEXT) FROM trials WHERE trial_id = @trial{_dialect.ForUpdate};", ("@trial", trialId)) switch
        {
            "RUNNING" or "WAITING" => TrialStatus.Running,
            "COMPLETE" => TrialStatus.Completed,
            "PRUNED" => TrialStatus.Pruned,
            string => TrialStatus.Failed,
            _ => throw StudyStorageChecks.UnknownTrial(trialId),
        };

    void RequireRunning(DbTransaction transaction, int trialId)
    {
        var status = ReadStatus(transaction, trialId);
        if (status != TrialStatus.Running) throw StudyStorageChecks.NotRunning(trialId, FinalStatus(transaction, trialId, status));
    }

    /// <summary>A failed trial's status as the record has it (Diverged is a FAIL with a system attribute).</summary>
    static TrialStatus FinalStatus(DbTransaction transaction, int trialId, TrialStatus status) =>
        status == TrialStatus.Failed && RdbSql.Scalar(transaction, "SELECT count(*) FROM trial_system_attributes WHERE trial_id = @trial AND \"key\" = @key;",
            ("@trial", trialId), ("@key", OptunaAttributes.Diverged)) is { } n && Convert.ToInt64(n) > 0 ? TrialStatus.Diverged : status;

    void TouchHeartbeat(DbTransaction transaction, int trialId) =>
        RdbSql.Execute(transaction, """
            INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@trial, @now)
            ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat;
            """, ("@trial", trialId), ("@now", _dialect.WriteTime(_clock.GetUtcNow())));

    /// <summary>One call as one transaction; after a lost connection the next call opens a new one.</summary>
    T InTransaction<T>(bool write, Func<DbTransaction, T> body)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Guard(() =>
            {
                using var transaction = _dialect.Begin(Connection(), write);
                var result = body(transaction);
                transaction.Commit();
                return result;
            });
        }
    }

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
