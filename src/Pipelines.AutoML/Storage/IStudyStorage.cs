namespace Pipelines.AutoML.Storage;

/// <summary>
/// Where a study and its trials live, written as they happen so that an interrupted study resumes with nothing
/// lost. Open one with <see cref="StudyStorageFactory.Open"/>; implementations: <see cref="RdbStudyStorage"/> (Optuna's
/// schema in a SQLite file or a PostgreSQL database shared by workers), <see cref="SqliteStudyStorage"/> (study files
/// of the earlier schema) and <see cref="InMemoryStudyStorage"/> (tests). Failures of the storage itself (not of the arguments) are
/// <see cref="StudyStorageException"/>s that say whether they are transient, a lock, or a damaged study.
/// </summary>
/// <remarks>
/// Every method is atomic and safe to call from several threads. Trial ids are unique in the whole storage and
/// increase with creation order (so they are unique within a study, not numbered per study). Timestamps come
/// back in UTC. Doubles round-trip exactly, NaN and infinities included. Unknown studies and trials throw
/// <see cref="KeyNotFoundException"/>; reporting to or finishing a trial that is no longer Running throws
/// <see cref="InvalidOperationException"/>, as when another process marked it interrupted.
/// </remarks>
public interface IStudyStorage : IDisposable
{
    /// <summary>The error of trials that <see cref="RecoverInterruptedTrials"/> marked Failed.</summary>
    const string InterruptedError = "interrupted: the process running this trial stopped";

    /// <summary>The error of a trial stopped by the caller's cancellation (Ctrl+C in the CLI); a resume runs it again.</summary>
    const string CancelledError = "cancelled";

    /// <summary>The error of a trial cut off because the experiment's time budget ran out.</summary>
    const string BudgetError = "stopped: the time budget ran out";

    /// <summary>
    /// Whether a finished trial was stopped from outside (process death, cancellation, the budget), so that its
    /// outcome says nothing about its parameters and a tuner must not learn from it.
    /// </summary>
    static bool WasStoppedFromOutside(TrialRecord trial) =>
        trial.Status == TrialStatus.Failed && trial.Error is InterruptedError or CancelledError or BudgetError;

    /// <summary>The identity written on trials this instance creates.</summary>
    WorkerIdentity Worker { get; }

    /// <summary>
    /// Creates the study, or opens it when it exists. Opening checks that <paramref name="direction"/> and
    /// <paramref name="metricName"/> (ignoring case) match the stored ones and throws
    /// <see cref="StudyMismatchException"/> when they don't. The stored search space and attributes are kept and
    /// returned, with attribute keys that were not stored yet added; compare them to decide whether a resumed run
    /// is the same experiment.
    /// </summary>
    StudyRecord CreateOrOpenStudy(string studyName, OptimizationDirection direction, string metricName,
        string searchSpaceJson, IReadOnlyDictionary<string, string>? attributes = null);

    /// <summary>The stored study, or null when there is none by that name.</summary>
    StudyRecord? GetStudy(string studyName);

    /// <summary>The names of all stored studies, in creation order.</summary>
    IReadOnlyList<string> GetStudyNames();

    /// <summary>
    /// Creates a Running trial owned by <see cref="Worker"/> and returns its id. An experiment creates its trials
    /// with empty parameters and sets them with <see cref="SetTrialParameters"/> once its tuner has proposed for
    /// that id (ask, then sample, as Optuna does).
    /// </summary>
    int CreateTrial(string studyName, Parameter parameters, string? trainer, DateTimeOffset startedAt);

    /// <summary>Replaces a Running trial's parameters and trainer (the tuner's proposal for it); refreshes its heartbeat.</summary>
    void SetTrialParameters(int trialId, Parameter parameters, string? trainer);

    /// <summary>
    /// Records the value at <paramref name="step"/> (an epoch), replacing any value already stored for that step,
    /// and refreshes the trial's heartbeat.
    /// </summary>
    void ReportIntermediate(int trialId, int step, double value);

    /// <summary>
    /// Sets a free-form attribute, replacing its old value. Allowed on finished trials too (for example to note
    /// which trial re-ran an interrupted one); refreshes the heartbeat of a Running trial.
    /// </summary>
    void SetTrialAttribute(int trialId, string key, string value);

    /// <summary>
    /// Tells other processes that the trial's runner is alive, for steps longer than the heartbeat timeout.
    /// Returns false when the trial is no longer Running (finished, or marked interrupted by another process).
    /// </summary>
    bool Heartbeat(int trialId);

    /// <summary>Moves a Running trial to a final <paramref name="status"/> with its final numbers.</summary>
    void FinishTrial(int trialId, TrialStatus status, double? objective, double? validationMetric, double? trainMetric,
        double? generalizationGap, string? error, DateTimeOffset finishedAt, double durationSeconds);

    /// <summary>
    /// The study's trials by id, each with its intermediate values in step order and its attributes: all of them, or
    /// those whose id is at least <paramref name="fromTrialId"/>, so that a worker that keeps the finished trials it has
    /// read re-reads only the rest (<see cref="Experiment.StudyTrials"/>).
    /// </summary>
    IReadOnlyList<TrialRecord> GetTrials(string studyName, int fromTrialId = 0);

    TrialRecord GetTrial(int trialId);

    /// <summary>
    /// Marks Failed, with <see cref="InterruptedError"/>, every Running trial of the study whose process is gone:
    /// owned by another worker and either silent for longer than the heartbeat timeout
    /// (<paramref name="heartbeatTimeout"/>, or the storage's setting when null) or owned by a process on this
    /// machine that no longer runs. Their intermediate values and attributes are kept; FinishedAt is their last
    /// heartbeat. Returns the recovered records so the caller can re-queue their parameters as new trials.
    /// </summary>
    IReadOnlyList<TrialRecord> RecoverInterruptedTrials(string studyName, TimeSpan? heartbeatTimeout = null);
}
