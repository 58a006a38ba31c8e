using System.Diagnostics;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Decides whether a trial left Running has lost its process. The rule, shared by every storage:
/// a Running trial owned by another worker is interrupted when its last heartbeat is older than the timeout, or
/// when its owner ran on this machine and that process (id and start time) no longer runs. Trials of the asking
/// worker itself are never interrupted: that worker is alive, since it asks.
/// </summary>
internal static class InterruptedTrialDetector
{
    /// <summary>Start times read twice can differ by rounding (Linux computes them from clock ticks).</summary>
    static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(1);

    public static bool IsInterrupted(WorkerIdentity owner, DateTimeOffset lastHeartbeat, WorkerIdentity asking,
        DateTimeOffset now, TimeSpan heartbeatTimeout)
    {
        if (owner.WorkerId == asking.WorkerId) return false;
        if (now - lastHeartbeat > heartbeatTimeout) return true;
        bool sameMachine = string.Equals(owner.MachineName, asking.MachineName, StringComparison.OrdinalIgnoreCase);
        return sameMachine && !IsProcessRunning(owner.ProcessId, owner.ProcessStartedAt);
    }

    static bool IsProcessRunning(int processId, DateTimeOffset? startedAt)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return false;
        }
        using (process)
        {
            if (startedAt is null) return true;
            var actualStart = WorkerIdentity.TryGetStartTime(process);
            // Unknown start time (no permission): trust the id. A different start time: the id was reused.
            return actualStart is null || (actualStart.Value - startedAt.Value).Duration() <= StartTimeTolerance;
        }
    }
}
