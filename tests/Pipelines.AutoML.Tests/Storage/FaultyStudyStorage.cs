using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>
/// A real <see cref="InMemoryStudyStorage"/> whose calls fail when <see cref="FaultFor"/> says so, given the call's
/// name: the faults a database driver raises (a lock past the busy timeout, a damaged file) without the database.
/// </summary>
sealed class FaultyStudyStorage : IStudyStorage
{
    public InMemoryStudyStorage Inner { get; } = new();

    /// <summary>The fault to raise for a call by name (nameof the method), or null to let it through.</summary>
    public Func<string, StorageFault?> FaultFor { get; set; } = _ => null;

    /// <summary>How many calls were made, by name, failed ones included.</summary>
    public Dictionary<string, int> Calls { get; } = new();

    public WorkerIdentity Worker => Inner.Worker;

    T Call<T>(string name, Func<T> body)
    {
        lock (Calls) Calls[name] = Calls.GetValueOrDefault(name) + 1;
        if (FaultFor(name) is { } fault) throw new StudyStorageException(fault, $"injected {fault} fault in {name}");
        return body();
    }

    void Call(string name, Action body) => Call(name, () => { body(); return true; });

    public StudyRecord CreateOrOpenStudy(string studyName, OptimizationDirection direction, string metricName, string searchSpaceJson,
        IReadOnlyDictionary<string, string>? attributes = null) =>
        Call(nameof(CreateOrOpenStudy), () => Inner.CreateOrOpenStudy(studyName, direction, metricName, searchSpaceJson, attributes));

    public StudyRecord? GetStudy(string studyName) => Call(nameof(GetStudy), () => Inner.GetStudy(studyName));
    public IReadOnlyList<string> GetStudyNames() => Call(nameof(GetStudyNames), Inner.GetStudyNames);

    public int CreateTrial(string studyName, Parameter parameters, string? trainer, DateTimeOffset startedAt) =>
        Call(nameof(CreateTrial), () => Inner.CreateTrial(studyName, parameters, trainer, startedAt));

    public void SetTrialParameters(int trialId, Parameter parameters, string? trainer) =>
        Call(nameof(SetTrialParameters), () => Inner.SetTrialParameters(trialId, parameters, trainer));

    public void ReportIntermediate(int trialId, int step, double value) =>
        Call(nameof(ReportIntermediate), () => Inner.ReportIntermediate(trialId, step, value));

    public void SetTrialAttribute(int trialId, string key, string value) =>
        Call(nameof(SetTrialAttribute), () => Inner.SetTrialAttribute(trialId, key, value));

    public bool Heartbeat(int trialId) => Call(nameof(Heartbeat), () => Inner.Heartbeat(trialId));

    public void FinishTrial(int trialId, TrialStatus status, double? objective, double? validationMetric, double? trainMetric,
        double? generalizationGap, string? error, DateTimeOffset finishedAt, double durationSeconds) =>
        Call(nameof(FinishTrial), () => Inner.FinishTrial(trialId, status, objective, validationMetric, trainMetric, generalizationGap, error,
            finishedAt, durationSeconds));

    public IReadOnlyList<TrialRecord> GetTrials(string studyName, int fromTrialId = 0)
    {
        lock (Calls) ReadsFrom.Add(fromTrialId);
        return Call(nameof(GetTrials), () => Inner.GetTrials(studyName, fromTrialId));
    }

    /// <summary>The first trial id each <see cref="GetTrials"/> asked for, in call order.</summary>
    public List<int> ReadsFrom { get; } = new();
    public TrialRecord GetTrial(int trialId) => Call(nameof(GetTrial), () => Inner.GetTrial(trialId));

    public IReadOnlyList<TrialRecord> RecoverInterruptedTrials(string studyName, TimeSpan? heartbeatTimeout = null) =>
        Call(nameof(RecoverInterruptedTrials), () => Inner.RecoverInterruptedTrials(studyName, heartbeatTimeout));

    public void Dispose() => Inner.Dispose();
}
