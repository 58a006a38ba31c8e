namespace Pipelines.AutoML.Storage;

/// <summary>
/// Study storage in memory, with the semantics of <see cref="SqliteStudyStorage"/>, for tests of the components
/// that use storage. <see cref="OpenSharedHandle"/> gives a second handle on the same data under another worker
/// identity, as a second process opening the same file would have, so resuming after a crash can be tested too.
/// </summary>
public sealed class InMemoryStudyStorage : IStudyStorage
{
    sealed class Store
    {
        public readonly object Gate = new();
        public readonly List<StudyRecord> Studies = new();
        public readonly Dictionary<int, StoredTrial> Trials = new();
        public int LastTrialId;
    }

    /// <summary>A trial as stored: the record without its collections, which are kept mutable beside it.</summary>
    sealed class StoredTrial
    {
        public required string StudyName { get; init; }
        public required TrialRecord Record { get; set; }
        public required WorkerIdentity Owner { get; init; }
        public required DateTimeOffset Heartbeat { get; set; }
        public SortedDictionary<int, double> Values { get; } = new();
        public SortedDictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
    }

    readonly Store _store;
    readonly TimeProvider _clock;
    readonly TimeSpan _heartbeatTimeout;

    public InMemoryStudyStorage(StudyStorageOptions? options = null) : this(new Store(), options) { }

    InMemoryStudyStorage(Store store, StudyStorageOptions? options)
    {
        options ??= new StudyStorageOptions();
        _store = store;
        Worker = options.Worker ?? WorkerIdentity.ForCurrentProcess();
        _clock = options.Clock;
        _heartbeatTimeout = options.HeartbeatTimeout;
    }

    public WorkerIdentity Worker { get; }

    /// <summary>Another handle on the same data, with its own worker identity, clock and heartbeat timeout.</summary>
    public InMemoryStudyStorage OpenSharedHandle(StudyStorageOptions? options = null) => new(_store, options);

    public StudyRecord CreateOrOpenStudy(string studyName, OptimizationDirection direction, string metricName,
        string searchSpaceJson, IReadOnlyDictionary<string, string>? attributes = null)
    {
        StudyStorageChecks.StudyArguments(studyName, metricName, searchSpaceJson);
        foreach (var (key, value) in attributes ?? new Dictionary<string, string>()) StudyStorageChecks.Attribute(key, value);
        lock (_store.Gate)
        {
            int index = _store.Studies.FindIndex(s => s.Name == studyName);
            var study = index >= 0
                ? _store.Studies[index]
                : new StudyRecord(studyName, direction, metricName, searchSpaceJson, _clock.GetUtcNow().ToUniversalTime());
            if (index >= 0) StudyMismatchException.ThrowIfDifferent(study, direction, metricName);

            // Attributes of an existing study keep their first value; new keys are added.
            var merged = new SortedDictionary<string, string>(study.Attributes.ToDictionary(), StringComparer.Ordinal);
            foreach (var (key, value) in attributes ?? new Dictionary<string, string>()) merged.TryAdd(key, value);
            study = study with { Attributes = new Dictionary<string, string>(merged) };
            if (index >= 0) _store.Studies[index] = study;
            else _store.Studies.Add(study);
            return Copy(study);
        }
    }

    public StudyRecord? GetStudy(string studyName)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        lock (_store.Gate)
        {
            var study = _store.Studies.Find(s => s.Name == studyName);
            return study is null ? null : Copy(study);
        }
    }

    public IReadOnlyList<string> GetStudyNames()
    {
        lock (_store.Gate) return _store.Studies.Select(s => s.Name).ToList();
    }

    public int CreateTrial(string studyName, Parameter parameters, string? trainer, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        ArgumentNullException.ThrowIfNull(parameters);
        lock (_store.Gate)
        {
            if (!_store.Studies.Exists(s => s.Name == studyName)) throw StudyStorageChecks.UnknownStudy(studyName);
            int id = ++_store.LastTrialId;
            _store.Trials[id] = new StoredTrial
            {
                StudyName = studyName,
                Owner = Worker,
                Heartbeat = _clock.GetUtcNow(),
                Record = new TrialRecord
                {
                    Id = id,
                    // Through JSON text, as the file stores it, so numbers come back alike.
                    Parameters = Parameter.FromJson(parameters.ToJson()),
                    Trainer = trainer,
                    StartedAt = StudyStorageChecks.Utc(startedAt),
                },
            };
            return id;
        }
    }

    public void SetTrialParameters(int trialId, Parameter parameters, string? trainer)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        lock (_store.Gate)
        {
            var trial = RunningTrial(trialId);
            trial.Record = trial.Record with { Parameters = Parameter.FromJson(parameters.ToJson()), Trainer = trainer };
            trial.Heartbeat = _clock.GetUtcNow();
        }
    }

    public void ReportIntermediate(int trialId, int step, double value)
    {
        StudyStorageChecks.Step(step);
        lock (_store.Gate)
        {
            var trial = RunningTrial(trialId);
            trial.Values[step] = value;
            trial.Heartbeat = _clock.GetUtcNow();
        }
    }

    public void SetTrialAttribute(int trialId, string key, string value)
    {
        StudyStorageChecks.Attribute(key, value);
        lock (_store.Gate)
        {
            var trial = Trial(trialId);
            trial.Attributes[key] = value;
            if (!trial.Record.IsFinished) trial.Heartbeat = _clock.GetUtcNow();
        }
    }

    public bool Heartbeat(int trialId)
    {
        lock (_store.Gate)
        {
            var trial = Trial(trialId);
            if (trial.Record.IsFinished) return false;
            trial.Heartbeat = _clock.GetUtcNow();
            return true;
        }
    }

    public void FinishTrial(int trialId, TrialStatus status, double? objective, double? validationMetric, double? trainMetric,
        double? generalizationGap, string? error, DateTimeOffset finishedAt, double durationSeconds)
    {
        StudyStorageChecks.Finish(status, durationSeconds);
        lock (_store.Gate)
        {
            var trial = RunningTrial(trialId);
            trial.Record = trial.Record with
            {
                Status = status,
                Objective = objective,
                ValidationMetric = validationMetric,
                TrainMetric = trainMetric,
                GeneralizationGap = generalizationGap,
                Error = error,
                FinishedAt = StudyStorageChecks.Utc(finishedAt),
                DurationSeconds = durationSeconds,
            };
        }
    }

    public IReadOnlyList<TrialRecord> GetTrials(string studyName, int fromTrialId = 0)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        lock (_store.Gate)
        {
            if (!_store.Studies.Exists(s => s.Name == studyName)) throw StudyStorageChecks.UnknownStudy(studyName);
            return TrialsOf(studyName).Where(t => t.Record.Id >= fromTrialId).Select(Snapshot).ToList();
        }
    }

    public TrialRecord GetTrial(int trialId)
    {
        lock (_store.Gate) return Snapshot(Trial(trialId));
    }

    public IReadOnlyList<TrialRecord> RecoverInterruptedTrials(string studyName, TimeSpan? heartbeatTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        var timeout = heartbeatTimeout ?? _heartbeatTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(heartbeatTimeout));
        lock (_store.Gate)
        {
            if (!_store.Studies.Exists(s => s.Name == studyName)) throw StudyStorageChecks.UnknownStudy(studyName);
            var now = _clock.GetUtcNow();
            var recovered = new List<TrialRecord>();
            foreach (var trial in TrialsOf(studyName))
            {
                if (trial.Record.IsFinished) continue;
                if (!InterruptedTrialDetector.IsInterrupted(trial.Owner, trial.Heartbeat, Worker, now, timeout)) continue;
                // The last heartbeat is the last moment the trial is known to have run.
                var lastAlive = StudyStorageChecks.Utc(trial.Heartbeat);
                trial.Record = trial.Record with
                {
                    Status = TrialStatus.Failed,
                    Error = IStudyStorage.InterruptedError,
                    FinishedAt = lastAlive,
                    DurationSeconds = Math.Max(0, (lastAlive - trial.Record.StartedAt).TotalSeconds),
                };
                recovered.Add(Snapshot(trial));
            }
            return recovered;
        }
    }

    IEnumerable<StoredTrial> TrialsOf(string studyName) =>
        _store.Trials.Values.Where(t => t.StudyName == studyName).OrderBy(t => t.Record.Id);

    StoredTrial Trial(int trialId) =>
        _store.Trials.TryGetValue(trialId, out var trial) ? trial : throw StudyStorageChecks.UnknownTrial(trialId);

    StoredTrial RunningTrial(int trialId)
    {
        var trial = Trial(trialId);
        if (trial.Record.IsFinished) throw StudyStorageChecks.NotRunning(trialId, trial.Record.Status);
        return trial;
    }

    /// <summary>A record with copies of the collections, so callers never see later writes.</summary>
    static TrialRecord Snapshot(StoredTrial trial) => trial.Record with
    {
        IntermediateValues = trial.Values.Select(v => new IntermediateValue(v.Key, v.Value)).ToList(),
        Attributes = new Dictionary<string, string>(trial.Attributes),
    };

    static StudyRecord Copy(StudyRecord study) => study with { Attributes = new Dictionary<string, string>(study.Attributes) };

    /// <summary>Nothing to release: the trials live as long as the instances that share them.</summary>
    public void Dispose() { }
}
