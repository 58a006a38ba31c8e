using System.Data.Common;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// What every SQL study storage does the same way: each call is one transaction under the instance's lock, the
/// arguments are checked before it starts, a trial must still be Running to take a write, every write to a running
/// trial renews its heartbeat, and a dead worker's trials are recovered under the study's lock. A subclass says only
/// how its tables hold a study and a trial (<see cref="RdbStudyStorage"/> in Optuna's schema,
/// <see cref="SqliteStudyStorage"/> in the schema of study files written before it).
/// </summary>
public abstract class SqlStudyStorage<TTransaction> : IStudyStorage where TTransaction : DbTransaction
{
    readonly object _gate = new();
    readonly TimeSpan _heartbeatTimeout;
    bool _disposed;

    protected SqlStudyStorage(StudyStorageOptions options)
    {
        Worker = options.Worker ?? WorkerIdentity.ForCurrentProcess();
        Clock = options.Clock;
        _heartbeatTimeout = options.HeartbeatTimeout;
    }

    public WorkerIdentity Worker { get; }

    protected TimeProvider Clock { get; }

    public StudyRecord CreateOrOpenStudy(string studyName, OptimizationDirection direction, string metricName,
        string searchSpaceJson, IReadOnlyDictionary<string, string>? attributes = null)
    {
        StudyStorageChecks.StudyArguments(studyName, metricName, searchSpaceJson);
        var checkedAttributes = attributes ?? new Dictionary<string, string>();
        foreach (var (key, value) in checkedAttributes) StudyStorageChecks.Attribute(key, value);
        return InTransaction(write: true, transaction =>
            OpenStudy(transaction, studyName, direction, metricName, searchSpaceJson, checkedAttributes));
    }

    public StudyRecord? GetStudy(string studyName)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        return InTransaction(write: false, transaction => ReadStudy(transaction, studyName));
    }

    public IReadOnlyList<string> GetStudyNames() => InTransaction(write: false, ReadStudyNames);

    public int CreateTrial(string studyName, Parameter parameters, string? trainer, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        ArgumentNullException.ThrowIfNull(parameters);
        return InTransaction(write: true, transaction =>
            InsertTrial(transaction, RequireStudy(transaction, studyName, lockRow: true), parameters, trainer, startedAt));
    }

    public void SetTrialParameters(int trialId, Parameter parameters, string? trainer)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        WriteToRunningTrial(trialId, transaction => ReplaceParameters(transaction, trialId, parameters, trainer));
    }

    public void ReportIntermediate(int trialId, int step, double value)
    {
        StudyStorageChecks.Step(step);
        WriteToRunningTrial(trialId, transaction => WriteIntermediate(transaction, trialId, step, value));
    }

    public void SetTrialAttribute(int trialId, string key, string value)
    {
        StudyStorageChecks.Attribute(key, value);
        InTransaction(write: true, transaction =>
        {
            // A finished trial may still take attributes (its model's path, say); only a running one has a heartbeat.
            var status = ReadStatus(transaction, trialId);
            WriteAttribute(transaction, trialId, key, value);
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
        var outcome = new TrialOutcome(status, objective, validationMetric, trainMetric, generalizationGap, error, finishedAt, durationSeconds);
        InTransaction(write: true, transaction =>
        {
            RequireRunning(transaction, trialId);
            WriteOutcome(transaction, trialId, outcome);
            return 0;
        });
    }

    public IReadOnlyList<TrialRecord> GetTrials(string studyName, int fromTrialId = 0)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        return InTransaction(write: false, transaction =>
            ReadTrials(transaction, TrialFilter.ByStudy(RequireStudy(transaction, studyName, lockRow: false), fromTrialId)));
    }

    public TrialRecord GetTrial(int trialId) => InTransaction(write: false, transaction =>
    {
        var trials = ReadTrials(transaction, TrialFilter.ById(trialId));
        return trials.Count == 1 ? trials[0] : throw StudyStorageChecks.UnknownTrial(trialId);
    });

    public IReadOnlyList<TrialRecord> RecoverInterruptedTrials(string studyName, TimeSpan? heartbeatTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(studyName);
        var timeout = heartbeatTimeout ?? _heartbeatTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(heartbeatTimeout));
        // One write transaction under the study's lock: two workers recovering at once cannot both recover (and
        // re-queue) a trial.
        return InTransaction(write: true, transaction =>
        {
            long studyId = RequireStudy(transaction, studyName, lockRow: true);
            var now = Clock.GetUtcNow();
            var recovered = new HashSet<int>();
            foreach (var trial in RunningTrials(transaction, studyId))
            {
                // The last heartbeat is the last moment the trial is known to have run.
                if (InterruptedTrialDetector.IsInterrupted(trial.Owner, trial.Heartbeat, Worker, now, timeout)
                    && MarkInterrupted(transaction, trial.Id, trial.Heartbeat, Math.Max(0, (trial.Heartbeat - trial.StartedAt).TotalSeconds)))
                    recovered.Add(trial.Id);
            }
            if (recovered.Count == 0) return (IReadOnlyList<TrialRecord>)Array.Empty<TrialRecord>();
            return ReadTrials(transaction, TrialFilter.ByStudy(studyId, recovered.Min())).Where(t => recovered.Contains(t.Id)).ToList();
        });
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Close();
        }
    }

    /// <summary>How a trial ends, as <see cref="FinishTrial"/> was given it.</summary>
    protected sealed record TrialOutcome(TrialStatus Status, double? Objective, double? ValidationMetric, double? TrainMetric,
        double? GeneralizationGap, string? Error, DateTimeOffset FinishedAt, double DurationSeconds);

    /// <summary>A running trial as recovery needs it: who runs it, since when, and when it was last heard from.</summary>
    protected readonly record struct RunningTrial(int Id, WorkerIdentity Owner, DateTimeOffset StartedAt, DateTimeOffset Heartbeat);

    /// <summary>Begins a transaction (a write one takes the write lock at once), runs <paramref name="body"/> and commits, with the driver's errors classified.</summary>
    protected abstract T Transact<T>(bool write, Func<TTransaction, T> body);

    protected abstract StudyRecord OpenStudy(TTransaction transaction, string studyName, OptimizationDirection direction,
        string metricName, string searchSpaceJson, IReadOnlyDictionary<string, string> attributes);

    protected abstract StudyRecord? ReadStudy(TTransaction transaction, string studyName);

    protected abstract IReadOnlyList<string> ReadStudyNames(TTransaction transaction);

    /// <summary>The study's id, its row locked for the rest of the transaction where <paramref name="lockRow"/> and the database can; null when there is no such study.</summary>
    protected abstract long? StudyId(TTransaction transaction, string studyName, bool lockRow);

    /// <summary>Inserts a Running trial with its parameters, owner and first heartbeat, and returns its id.</summary>
    protected abstract int InsertTrial(TTransaction transaction, long studyId, Parameter parameters, string? trainer, DateTimeOffset startedAt);

    protected abstract void ReplaceParameters(TTransaction transaction, int trialId, Parameter parameters, string? trainer);

    protected abstract void WriteIntermediate(TTransaction transaction, int trialId, int step, double value);

    protected abstract void WriteAttribute(TTransaction transaction, int trialId, string key, string value);

    protected abstract void WriteOutcome(TTransaction transaction, int trialId, TrialOutcome outcome);

    /// <summary>The trial's status (Diverged reads as Failed); an unknown trial throws.</summary>
    protected abstract TrialStatus ReadStatus(TTransaction transaction, int trialId);

    /// <summary>The status to name when a finished trial is written to; the stored status unless a subclass can say more.</summary>
    protected virtual TrialStatus FinalStatus(TTransaction transaction, int trialId, TrialStatus status) => status;

    protected abstract void TouchHeartbeat(TTransaction transaction, int trialId);

    /// <summary>The trials <paramref name="filter"/> takes, in id order, with values and attributes.</summary>
    private protected abstract List<TrialRecord> ReadTrials(TTransaction transaction, TrialFilter filter);

    protected abstract IEnumerable<RunningTrial> RunningTrials(TTransaction transaction, long studyId);

    /// <summary>Fails a Running trial as interrupted at <paramref name="heartbeat"/>; false when it was no longer Running.</summary>
    protected abstract bool MarkInterrupted(TTransaction transaction, int trialId, DateTimeOffset heartbeat, double durationSeconds);

    /// <summary>Releases the connection; called once, under the instance's lock.</summary>
    protected abstract void Close();

    /// <summary>One call as one transaction, under the instance's lock; a disposed instance refuses work.</summary>
    protected T InTransaction<T>(bool write, Func<TTransaction, T> body)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Transact(write, body);
        }
    }

    long RequireStudy(TTransaction transaction, string studyName, bool lockRow) =>
        StudyId(transaction, studyName, lockRow) ?? throw StudyStorageChecks.UnknownStudy(studyName);

    void RequireRunning(TTransaction transaction, int trialId)
    {
        var status = ReadStatus(transaction, trialId);
        if (status != TrialStatus.Running) throw StudyStorageChecks.NotRunning(trialId, FinalStatus(transaction, trialId, status));
    }

    /// <summary>A write that only a running trial takes, renewing its heartbeat.</summary>
    void WriteToRunningTrial(int trialId, Action<TTransaction> write) => InTransaction(write: true, transaction =>
    {
        RequireRunning(transaction, trialId);
        write(transaction);
        TouchHeartbeat(transaction, trialId);
        return 0;
    });
}
