using System.Globalization;
using Microsoft.Data.Sqlite;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Study storage in one SQLite file (tables in <see cref="SqliteSchema"/>). Every call is one transaction,
/// committed before it returns, so a killed process loses nothing already reported; see
/// <see cref="SqliteStudyStorageOptions.FlushEveryCommit"/> for power loss. One connection per instance, used
/// under a lock, serves the threads of parallel trials; other processes may open the same file at the same time
/// and wait up to <see cref="SqliteStudyStorageOptions.BusyTimeout"/> for each other's writes.
/// </summary>
public sealed class SqliteStudyStorage : IStudyStorage, IDisposable
{
    /// <summary>ISO-8601 in UTC with full tick precision, so timestamps round-trip exactly and sort as text.</summary>
    const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    const string ByStudy = "t.study_id = $key";
    const string ByTrial = "t.trial_id = $key";

    readonly object _gate = new();
    readonly SqliteConnection _connection;
    readonly TimeProvider _clock;
    readonly TimeSpan _heartbeatTimeout;
    bool _disposed;

    /// <summary>Opens the study file at <paramref name="path"/>, creating it (and its folder) if needed.</summary>
    public SqliteStudyStorage(string path, SqliteStudyStorageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteStudyStorageOptions();
        Path = System.IO.Path.GetFullPath(path);
        Worker = options.Worker ?? WorkerIdentity.ForCurrentProcess();
        _clock = options.Clock;
        _heartbeatTimeout = options.HeartbeatTimeout;

        var directory = System.IO.Path.GetDirectoryName(Path);
        if (options.ReadOnly && !File.Exists(Path))
            throw new StudyStorageException(StorageFault.Unavailable, $"There is no study file '{Path}' to read.");
        if (!options.ReadOnly && !string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // Without pooling, Dispose really closes the file (and checkpoints the WAL into it).
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        _connection = new SqliteConnection(connectionString);
        try
        {
            SqliteFaults.Guard(Path, () =>
            {
                _connection.Open();
                SqliteSchema.Configure(_connection, options);
                if (options.ReadOnly) SqliteSchema.CheckVersion(_connection, null, Path);
                else SqliteSchema.EnsureCreated(_connection, Path);
                return 0;
            });
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The full path of the study file.</summary>
    public string Path { get; }

    public WorkerIdentity Worker { get; }

    public StudyRecord CreateOrOpenStudy(string studyName, OptimizationDirection direction, string metricName,
        string searchSpaceJson, IReadOnlyDictionary<string, string>? attributes = null)
    {
        StudyStorageChecks.StudyArguments(studyName, metricName, searchSpaceJson);
        foreach (var (key, value) in attributes ?? new Dictionary<string, string>()) StudyStorageChecks.Attribute(key, value);
        return InTransaction(write: true, transaction =>
        {
            var existing = ReadStudy(transaction, studyName);
            if (existing is null)
            {
                Execute(transaction, """
                    INSERT INTO studies (name, direction, metric_name, search_space_json, created_at)
                    VALUES ($name, $direction, $metric, $space, $created);
                    """,
                    ("$name", studyName), ("$direction", direction.ToString()), ("$metric", metricName),
                    ("$space", searchSpaceJson), ("$created", FormatTime(_clock.GetUtcNow())));
            }
            else
            {
                StudyMismatchException.ThrowIfDifferent(existing, direction, metricName);
            }
            foreach (var (key, value) in attributes ?? new Dictionary<string, string>())
            {
                // OR IGNORE: attributes of an existing study keep their first value.
                Execute(transaction, """
                    INSERT OR IGNORE INTO study_attributes (study_id, key, value)
                    SELECT study_id, $key, $value FROM studies WHERE name = $name;
                    """,
                    ("$key", key), ("$value", value), ("$name", studyName));
            }
            return ReadStudy(transaction, studyName)!;
        });
    }

    public StudyRecord? GetStudy(string studyName)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        return InTransaction(write: false, transaction => ReadStudy(transaction, studyName));
    }

    public IReadOnlyList<string> GetStudyNames() => InTransaction(write: false, transaction =>
    {
        using var command = Command(transaction, "SELECT name FROM studies ORDER BY study_id;");
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    });

    public int CreateTrial(string studyName, Parameter parameters, string? trainer, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        ArgumentNullException.ThrowIfNull(parameters);
        return InTransaction(write: true, transaction =>
        {
            long studyId = StudyId(transaction, studyName) ?? throw StudyStorageChecks.UnknownStudy(studyName);
            Execute(transaction, """
                INSERT INTO trials (study_id, status, parameters_json, trainer, started_at,
                                    worker_id, worker_pid, worker_machine, worker_process_started_at, heartbeat_at)
                VALUES ($study, 'Running', $parameters, $trainer, $started,
                        $worker, $pid, $machine, $processStarted, $now);
                """,
                ("$study", studyId), ("$parameters", parameters.ToJson()), ("$trainer", trainer),
                ("$started", FormatTime(startedAt)), ("$worker", Worker.WorkerId), ("$pid", Worker.ProcessId),
                ("$machine", Worker.MachineName),
                ("$processStarted", Worker.ProcessStartedAt is { } processStarted ? FormatTime(processStarted) : null),
                ("$now", FormatTime(_clock.GetUtcNow())));
            return checked((int)(long)Scalar(transaction, "SELECT last_insert_rowid();")!);
        });
    }

    public void SetTrialParameters(int trialId, Parameter parameters, string? trainer)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        InTransaction(write: true, transaction =>
        {
            RequireRunning(transaction, trialId);
            Execute(transaction, "UPDATE trials SET parameters_json = $parameters, trainer = $trainer WHERE trial_id = $trial;",
                ("$parameters", parameters.ToJson()), ("$trainer", trainer), ("$trial", trialId));
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
            Execute(transaction, """
                INSERT INTO trial_values (trial_id, step, value) VALUES ($trial, $step, $value)
                ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value;
                """,
                ("$trial", trialId), ("$step", step), ("$value", RealOrNull(value)));
            TouchHeartbeat(transaction, trialId);
            return 0;
        });
    }

    public void SetTrialAttribute(int trialId, string key, string value)
    {
        StudyStorageChecks.Attribute(key, value);
        InTransaction(write: true, transaction =>
        {
            ReadStatus(transaction, trialId);
            Execute(transaction, """
                INSERT INTO trial_attributes (trial_id, key, value) VALUES ($trial, $key, $value)
                ON CONFLICT (trial_id, key) DO UPDATE SET value = excluded.value;
                """,
                ("$trial", trialId), ("$key", key), ("$value", value));
            TouchHeartbeat(transaction, trialId);
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
            Execute(transaction, """
                UPDATE trials SET
                    status = $status,
                    objective = $objective, objective_is_nan = $objectiveIsNan,
                    validation_metric = $validation, validation_metric_is_nan = $validationIsNan,
                    train_metric = $train, train_metric_is_nan = $trainIsNan,
                    generalization_gap = $gap, generalization_gap_is_nan = $gapIsNan,
                    error = $error, finished_at = $finished, duration_seconds = $duration
                WHERE trial_id = $trial;
                """,
                ("$status", status.ToString()),
                ("$objective", RealOrNull(objective)), ("$objectiveIsNan", NanFlag(objective)),
                ("$validation", RealOrNull(validationMetric)), ("$validationIsNan", NanFlag(validationMetric)),
                ("$train", RealOrNull(trainMetric)), ("$trainIsNan", NanFlag(trainMetric)),
                ("$gap", RealOrNull(generalizationGap)), ("$gapIsNan", NanFlag(generalizationGap)),
                ("$error", error), ("$finished", FormatTime(finishedAt)), ("$duration", durationSeconds),
                ("$trial", trialId));
            return 0;
        });
    }

    public IReadOnlyList<TrialRecord> GetTrials(string studyName)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        return InTransaction(write: false, transaction =>
        {
            long studyId = StudyId(transaction, studyName) ?? throw StudyStorageChecks.UnknownStudy(studyName);
            return ReadTrials(transaction, ByStudy, studyId);
        });
    }

    public TrialRecord GetTrial(int trialId) => InTransaction(write: false, transaction =>
    {
        var trials = ReadTrials(transaction, ByTrial, trialId);
        return trials.Count == 1 ? trials[0] : throw StudyStorageChecks.UnknownTrial(trialId);
    });

    public IReadOnlyList<TrialRecord> RecoverInterruptedTrials(string studyName, TimeSpan? heartbeatTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        var timeout = heartbeatTimeout ?? _heartbeatTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(heartbeatTimeout));
        // One write transaction: two processes recovering at once cannot both recover (and re-queue) a trial.
        return InTransaction(write: true, transaction =>
        {
            long studyId = StudyId(transaction, studyName) ?? throw StudyStorageChecks.UnknownStudy(studyName);
            var now = _clock.GetUtcNow();
            var interrupted = new List<(long Id, DateTimeOffset StartedAt, DateTimeOffset Heartbeat)>();
            using (var command = Command(transaction, """
                SELECT trial_id, worker_id, worker_pid, worker_machine, worker_process_started_at, heartbeat_at, started_at
                FROM trials WHERE study_id = $study AND status = 'Running' ORDER BY trial_id;
                """, ("$study", studyId)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var owner = new WorkerIdentity(reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : ParseTime(reader.GetString(4)));
                    var heartbeat = ParseTime(reader.GetString(5));
                    if (InterruptedTrialDetector.IsInterrupted(owner, heartbeat, Worker, now, timeout))
                        interrupted.Add((reader.GetInt64(0), ParseTime(reader.GetString(6)), heartbeat));
                }
            }
            if (interrupted.Count == 0) return (IReadOnlyList<TrialRecord>)Array.Empty<TrialRecord>();

            foreach (var (id, startedAt, heartbeat) in interrupted)
            {
                // The last heartbeat is the last moment the trial is known to have run.
                Execute(transaction, """
                    UPDATE trials SET status = 'Failed', error = $error, finished_at = $finished, duration_seconds = $duration
                    WHERE trial_id = $trial;
                    """,
                    ("$error", IStudyStorage.InterruptedError), ("$finished", FormatTime(heartbeat)),
                    ("$duration", Math.Max(0, (heartbeat - startedAt).TotalSeconds)), ("$trial", id));
            }
            var recoveredIds = interrupted.Select(t => (int)t.Id).ToHashSet();
            return ReadTrials(transaction, ByStudy, studyId).Where(t => recoveredIds.Contains(t.Id)).ToList();
        });
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _connection.Dispose();
        }
    }

    T InTransaction<T>(bool write, Func<SqliteTransaction, T> body)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Writes take the write lock at BEGIN (IMMEDIATE), so a busy file is waited for up front rather than
            // failing when a read-then-write transaction tries to upgrade.
            return SqliteFaults.Guard(Path, () =>
            {
                using var transaction = _connection.BeginTransaction(deferred: !write);
                var result = body(transaction);
                transaction.Commit();
                return result;
            });
        }
    }

    StudyRecord? ReadStudy(SqliteTransaction transaction, string studyName)
    {
        long studyId;
        StudyRecord study;
        using (var command = Command(transaction,
            "SELECT study_id, direction, metric_name, search_space_json, created_at FROM studies WHERE name = $name;",
            ("$name", studyName)))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read()) return null;
            studyId = reader.GetInt64(0);
            study = new StudyRecord(studyName, Enum.Parse<OptimizationDirection>(reader.GetString(1)), reader.GetString(2),
                SearchSpaceJson: reader.GetString(3), CreatedAt: ParseTime(reader.GetString(4)));
        }
        var attributes = new Dictionary<string, string>();
        using (var command = Command(transaction, "SELECT key, value FROM study_attributes WHERE study_id = $study ORDER BY key;",
            ("$study", studyId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) attributes[reader.GetString(0)] = reader.GetString(1);
        }
        return study with { Attributes = attributes };
    }

    long? StudyId(SqliteTransaction transaction, string studyName) =>
        Scalar(transaction, "SELECT study_id FROM studies WHERE name = $name;", ("$name", studyName)) as long?;

    TrialStatus ReadStatus(SqliteTransaction transaction, int trialId) =>
        Scalar(transaction, "SELECT status FROM trials WHERE trial_id = $trial;", ("$trial", trialId)) is string status
            ? Enum.Parse<TrialStatus>(status)
            : throw StudyStorageChecks.UnknownTrial(trialId);

    void RequireRunning(SqliteTransaction transaction, int trialId)
    {
        var status = ReadStatus(transaction, trialId);
        if (status != TrialStatus.Running) throw StudyStorageChecks.NotRunning(trialId, status);
    }

    void TouchHeartbeat(SqliteTransaction transaction, int trialId) =>
        Execute(transaction, "UPDATE trials SET heartbeat_at = $now WHERE trial_id = $trial AND status = 'Running';",
            ("$now", FormatTime(_clock.GetUtcNow())), ("$trial", trialId));

    /// <summary>Trials matching <paramref name="filter"/> (one of the constants above), with values and attributes.</summary>
    List<TrialRecord> ReadTrials(SqliteTransaction transaction, string filter, long key)
    {
        var values = ReadByTrial(transaction, $"""
            SELECT v.trial_id, v.step, v.value FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id
            WHERE {filter} ORDER BY v.trial_id, v.step;
            """, key, r => new IntermediateValue(r.GetInt32(1), r.IsDBNull(2) ? double.NaN : r.GetDouble(2)));
        var attributes = ReadByTrial(transaction, $"""
            SELECT a.trial_id, a.key, a.value FROM trial_attributes a JOIN trials t ON t.trial_id = a.trial_id
            WHERE {filter} ORDER BY a.trial_id, a.key;
            """, key, r => KeyValuePair.Create(r.GetString(1), r.GetString(2)));

        var trials = new List<TrialRecord>();
        using var command = Command(transaction, $"""
            SELECT t.trial_id, t.status, t.parameters_json, t.trainer,
                   t.objective, t.objective_is_nan, t.validation_metric, t.validation_metric_is_nan,
                   t.train_metric, t.train_metric_is_nan, t.generalization_gap, t.generalization_gap_is_nan,
                   t.error, t.started_at, t.finished_at, t.duration_seconds
            FROM trials t WHERE {filter} ORDER BY t.trial_id;
            """, ("$key", key));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            int id = reader.GetInt32(0);
            trials.Add(ReadTrial(reader) with
            {
                IntermediateValues = values.TryGetValue(id, out var list) ? list : Array.Empty<IntermediateValue>(),
                Attributes = attributes.TryGetValue(id, out var pairs) ? new Dictionary<string, string>(pairs) : new Dictionary<string, string>(),
            });
        }
        return trials;
    }

    /// <summary>One row of the trials table, without its values and attributes.</summary>
    static TrialRecord ReadTrial(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt32(0),
        Status = Enum.Parse<TrialStatus>(reader.GetString(1)),
        Parameters = Parameter.FromJson(reader.GetString(2)),
        Trainer = reader.IsDBNull(3) ? null : reader.GetString(3),
        Objective = ReadMetric(reader, 4),
        ValidationMetric = ReadMetric(reader, 6),
        TrainMetric = ReadMetric(reader, 8),
        GeneralizationGap = ReadMetric(reader, 10),
        Error = reader.IsDBNull(12) ? null : reader.GetString(12),
        StartedAt = ParseTime(reader.GetString(13)),
        FinishedAt = reader.IsDBNull(14) ? null : ParseTime(reader.GetString(14)),
        DurationSeconds = reader.GetDouble(15),
    };

    /// <summary>The rows of a query whose first column is a trial id, read with <paramref name="read"/> and grouped by trial.</summary>
    Dictionary<int, List<T>> ReadByTrial<T>(SqliteTransaction transaction, string sql, long key, Func<SqliteDataReader, T> read)
    {
        var byTrial = new Dictionary<int, List<T>>();
        using var command = Command(transaction, sql, ("$key", key));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            int trialId = reader.GetInt32(0);
            if (!byTrial.TryGetValue(trialId, out var list)) byTrial[trialId] = list = new List<T>();
            list.Add(read(reader));
        }
        return byTrial;
    }

    /// <summary>A metric stored as a REAL column followed by its NaN flag column.</summary>
    static double? ReadMetric(SqliteDataReader reader, int valueOrdinal)
    {
        if (reader.GetInt64(valueOrdinal + 1) != 0) return double.NaN;
        return reader.IsDBNull(valueOrdinal) ? null : reader.GetDouble(valueOrdinal);
    }

    /// <summary>SQLite has no NaN (binding one throws), so NaN goes in as NULL; see <see cref="NanFlag"/>.</summary>
    static object? RealOrNull(double? value) => value is double v && !double.IsNaN(v) ? v : null;

    static long NanFlag(double? value) => value is double v && double.IsNaN(v) ? 1 : 0;

    static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    SqliteCommand Command(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    object? Scalar(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteScalar();
    }
}
