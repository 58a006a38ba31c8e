using Microsoft.Data.Sqlite;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Study storage in one SQLite file (tables in <see cref="SqliteSchema"/>). Every call is one transaction,
/// committed before it returns, so a killed process loses nothing already reported; see
/// <see cref="SqliteStudyStorageOptions.FlushEveryCommit"/> for power loss. One connection per instance, used
/// under a lock, serves the threads of parallel trials; other processes may open the same file at the same time
/// and wait up to <see cref="SqliteStudyStorageOptions.BusyTimeout"/> for each other's writes.
/// </summary>
public sealed class SqliteStudyStorage : SqlStudyStorage<SqliteTransaction>
{
    /// <summary>ISO-8601 in UTC with full tick precision, so timestamps round-trip exactly and sort as text.</summary>
    const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    readonly SqliteConnection _connection;

    /// <summary>Opens the study file at <paramref name="path"/>, creating it (and its folder) if needed.</summary>
    public SqliteStudyStorage(string path, SqliteStudyStorageOptions? options = null) : base(options ??= new SqliteStudyStorageOptions())
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);

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

    protected override StudyRecord OpenStudy(SqliteTransaction transaction, string studyName, OptimizationDirection direction,
        string metricName, string searchSpaceJson, IReadOnlyDictionary<string, string> attributes)
    {
        var existing = ReadStudy(transaction, studyName);
        if (existing is null)
        {
            Execute(transaction, """
                INSERT INTO studies (name, direction, metric_name, search_space_json, created_at)
                VALUES ($name, $direction, $metric, $space, $created);
                """,
                ("$name", studyName), ("$direction", direction.ToString()), ("$metric", metricName),
                ("$space", searchSpaceJson), ("$created", FormatTime(Clock.GetUtcNow())));
        }
        else
        {
            StudyMismatchException.ThrowIfDifferent(existing, direction, metricName);
        }
        foreach (var (key, value) in attributes)
        {
            // OR IGNORE: attributes of an existing study keep their first value.
            Execute(transaction, """
                INSERT OR IGNORE INTO study_attributes (study_id, key, value)
                SELECT study_id, $key, $value FROM studies WHERE name = $name;
                """,
                ("$key", key), ("$value", value), ("$name", studyName));
        }
        return ReadStudy(transaction, studyName)!;
    }

    protected override IReadOnlyList<string> ReadStudyNames(SqliteTransaction transaction)
    {
        using var command = Command(transaction, "SELECT name FROM studies ORDER BY study_id;");
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    protected override int InsertTrial(SqliteTransaction transaction, long studyId, Parameter parameters, string? trainer, DateTimeOffset startedAt)
    {
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
            ("$now", FormatTime(Clock.GetUtcNow())));
        return checked((int)(long)Scalar(transaction, "SELECT last_insert_rowid();")!);
    }

    protected override void ReplaceParameters(SqliteTransaction transaction, int trialId, Parameter parameters, string? trainer) =>
        Execute(transaction, "UPDATE trials SET parameters_json = $parameters, trainer = $trainer WHERE trial_id = $trial;",
            ("$parameters", parameters.ToJson()), ("$trainer", trainer), ("$trial", trialId));

    protected override void WriteIntermediate(SqliteTransaction transaction, int trialId, int step, double value) =>
        Execute(transaction, """
            INSERT INTO trial_values (trial_id, step, value) VALUES ($trial, $step, $value)
            ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value;
            """,
            ("$trial", trialId), ("$step", step), ("$value", RealOrNull(value)));

    protected override void WriteAttribute(SqliteTransaction transaction, int trialId, string key, string value) =>
        Execute(transaction, """
            INSERT INTO trial_attributes (trial_id, key, value) VALUES ($trial, $key, $value)
            ON CONFLICT (trial_id, key) DO UPDATE SET value = excluded.value;
            """,
            ("$trial", trialId), ("$key", key), ("$value", value));

    protected override void WriteOutcome(SqliteTransaction transaction, int trialId, TrialOutcome outcome) =>
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
            ("$status", outcome.Status.ToString()),
            ("$objective", RealOrNull(outcome.Objective)), ("$objectiveIsNan", NanFlag(outcome.Objective)),
            ("$validation", RealOrNull(outcome.ValidationMetric)), ("$validationIsNan", NanFlag(outcome.ValidationMetric)),
            ("$train", RealOrNull(outcome.TrainMetric)), ("$trainIsNan", NanFlag(outcome.TrainMetric)),
            ("$gap", RealOrNull(outcome.GeneralizationGap)), ("$gapIsNan", NanFlag(outcome.GeneralizationGap)),
            ("$error", outcome.Error), ("$finished", FormatTime(outcome.FinishedAt)), ("$duration", outcome.DurationSeconds),
            ("$trial", trialId));

    protected override IEnumerable<RunningTrial> RunningTrials(SqliteTransaction transaction, long studyId)
    {
        var running = new List<RunningTrial>();
        using var command = Command(transaction, """
            SELECT trial_id, worker_id, worker_pid, worker_machine, worker_process_started_at, heartbeat_at, started_at
            FROM trials WHERE study_id = $study AND status = 'Running' ORDER BY trial_id;
            """, ("$study", studyId));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var owner = new WorkerIdentity(reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : ParseTime(reader.GetString(4)));
            running.Add(new RunningTrial(reader.GetInt32(0), owner, ParseTime(reader.GetString(6)), ParseTime(reader.GetString(5))));
        }
        return running;
    }

    protected override bool MarkInterrupted(SqliteTransaction transaction, int trialId, DateTimeOffset heartbeat, double durationSeconds)
    {
        Execute(transaction, """
            UPDATE trials SET status = 'Failed', error = $error, finished_at = $finished, duration_seconds = $duration
            WHERE trial_id = $trial;
            """,
            ("$error", IStudyStorage.InterruptedError), ("$finished", FormatTime(heartbeat)),
            ("$duration", durationSeconds), ("$trial", trialId));
        return true;
    }

    protected override void Close() => _connection.Dispose();

    /// <summary>Writes take the write lock at BEGIN (IMMEDIATE), so a busy file is waited for up front rather than failing when a read-then-write transaction tries to upgrade.</summary>
    protected override T Transact<T>(bool write, Func<SqliteTransaction, T> body) => SqliteFaults.Guard(Path, () =>
    {
        using var transaction = _connection.BeginTransaction(deferred: !write);
        var result = body(transaction);
        transaction.Commit();
        return result;
    });

    protected override StudyRecord? ReadStudy(SqliteTransaction transaction, string studyName)
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

    /// <summary>SQLite's write lock, taken at BEGIN IMMEDIATE, already serialises the study's writers.</summary>
    protected override long? StudyId(SqliteTransaction transaction, string studyName, bool lockRow) =>
        Scalar(transaction, "SELECT study_id FROM studies WHERE name = $name;", ("$name", studyName)) as long?;

    protected override TrialStatus ReadStatus(SqliteTransaction transaction, int trialId) =>
        Scalar(transaction, "SELECT status FROM trials WHERE trial_id = $trial;", ("$trial", trialId)) is string status
            ? Enum.Parse<TrialStatus>(status)
            : throw StudyStorageChecks.UnknownTrial(trialId);

    protected override void TouchHeartbeat(SqliteTransaction transaction, int trialId) =>
        Execute(transaction, "UPDATE trials SET heartbeat_at = $now WHERE trial_id = $trial AND status = 'Running';",
            ("$now", FormatTime(Clock.GetUtcNow())), ("$trial", trialId));

    private protected override List<TrialRecord> ReadTrials(SqliteTransaction transaction, TrialFilter filter)
    {
        var values = ReadByTrial(transaction, $"""
            SELECT v.trial_id, v.step, v.value FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id
            WHERE {filter.Sql} ORDER BY v.trial_id, v.step;
            """, filter, r => new IntermediateValue(r.GetInt32(1), r.IsDBNull(2) ? double.NaN : r.GetDouble(2)));
        var attributes = ReadByTrial(transaction, $"""
            SELECT a.trial_id, a.key, a.value FROM trial_attributes a JOIN trials t ON t.trial_id = a.trial_id
            WHERE {filter.Sql} ORDER BY a.trial_id, a.key;
            """, filter, r => KeyValuePair.Create(r.GetString(1), r.GetString(2)));

        var trials = new List<TrialRecord>();
        using var command = Command(transaction, $"""
            SELECT t.trial_id, t.status, t.parameters_json, t.trainer,
                   t.objective, t.objective_is_nan, t.validation_metric, t.validation_metric_is_nan,
                   t.train_metric, t.train_metric_is_nan, t.generalization_gap, t.generalization_gap_is_nan,
                   t.error, t.started_at, t.finished_at, t.duration_seconds
            FROM trials t WHERE {filter.Sql} ORDER BY t.trial_id;
            """, filter.Parameters);
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
    Dictionary<int, List<T>> ReadByTrial<T>(SqliteTransaction transaction, string sql, TrialFilter filter, Func<SqliteDataReader, T> read)
    {
        var byTrial = new Dictionary<int, List<T>>();
        using var command = Command(transaction, sql, filter.Parameters);
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
