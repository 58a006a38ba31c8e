namespace Pipelines.AutoML.Storage;

/// <summary>
/// An <see cref="IStudyStorage"/> that calls another one again, with backoff (<see cref="StudyRetryPolicy"/>), when a
/// call fails with a transient <see cref="StudyStorageException"/> (<see cref="StudyStorageException.IsTransient"/>: a
/// lock held past the busy timeout, an I/O error), and throws <see cref="StudyUnavailableException"/> when every
/// attempt failed. Other faults (a damaged study) and argument errors pass through at once: retrying cannot mend them.
/// <see cref="StudyStorageFactory.Open"/> returns storages wrapped in one.
/// </summary>
/// <remarks>
/// A failed call changed nothing (every call of a storage is atomic), so calling it again is safe, writes included.
/// </remarks>
public sealed class RetryingStudyStorage(IStudyStorage inner, StudyRetryPolicy policy) : IStudyStorage
{
    public IStudyStorage Inner { get; } = inner;

    public WorkerIdentity Worker => Inner.Worker;

    public StudyRecord CreateOrOpenStudy(string studyName, OptimizationDirection direction, string metricName, string searchSpaceJson,
        IReadOnlyDictionary<string, string>? attributes = null) =>
        Retry(() => Inner.CreateOrOpenStudy(studyName, direction, metricName, searchSpaceJson, attributes));

    public StudyRecord? GetStudy(string studyName) => Retry(() => Inner.GetStudy(studyName));

    public IReadOnlyList<string> GetStudyNames() => Retry(Inner.GetStudyNames);

    public int CreateTrial(string studyName, Parameter parameters, string? trainer, DateTimeOffset startedAt) =>
        Retry(() => Inner.CreateTrial(studyName, parameters, trainer, startedAt));

    public void SetTrialParameters(int trialId, Parameter parameters, string? trainer) =>
        Retry(() => { Inner.SetTrialParameters(trialId, parameters, trainer); return true; });

    public void ReportIntermediate(int trialId, int step, double value) =>
        Retry(() => { Inner.ReportIntermediate(trialId, step, value); return true; });

    public void SetTrialAttribute(int trialId, string key, string value) =>
        Retry(() => { Inner.SetTrialAttribute(trialId, key, value); return true; });

    public bool Heartbeat(int trialId) => Retry(() => Inner.Heartbeat(trialId));

    public void FinishTrial(int trialId, TrialStatus status, double? objective, double? validationMetric, double? trainMetric,
        double? generalizationGap, string? error, DateTimeOffset finishedAt, double durationSeconds) =>
        Retry(() =>
        {
            Inner.FinishTrial(trialId, status, objective, validationMetric, trainMetric, generalizationGap, error, finishedAt, durationSeconds);
            return true;
        });

    public IReadOnlyList<TrialRecord> GetTrials(string studyName, int fromTrialId = 0) => Retry(() => Inner.GetTrials(studyName, fromTrialId));

    public TrialRecord GetTrial(int trialId) => Retry(() => Inner.GetTrial(trialId));

    public IReadOnlyList<TrialRecord> RecoverInterruptedTrials(string studyName, TimeSpan? heartbeatTimeout = null) =>
        Retry(() => Inner.RecoverInterruptedTrials(studyName, heartbeatTimeout));

    public void Dispose() => Inner.Dispose();

    T Retry<T>(Func<T> call) => policy.Run(call);
}
