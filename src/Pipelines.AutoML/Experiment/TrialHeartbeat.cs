using Pipelines.AutoML.Storage;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Tells other processes that a trial's runner is alive while one step (a big FastTree, a slow epoch) takes longer
/// than the storage's heartbeat timeout, so that the trial never looks like one left behind by a dead process.
/// </summary>
internal sealed class TrialHeartbeat : IDisposable
{
    /// <summary>Well inside the storages' default heartbeat timeout (two minutes).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(20);

    readonly Timer _timer;

    public TrialHeartbeat(IStudyStorage storage, int trialId, TimeSpan interval) =>
        _timer = new Timer(_ => Beat(storage, trialId), null, interval, interval);

    // A timer callback must never throw: an exception there would end the process. A missed beat is harmless; the
    // next write about the trial beats again.
    static void Beat(IStudyStorage storage, int trialId)
    {
        try { storage.Heartbeat(trialId); }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException || StudyStorageException.IsStorageFault(e)) { }
    }

    public void Dispose() => _timer.Dispose();
}
