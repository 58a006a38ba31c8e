using System.Diagnostics;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Who runs a trial: a fresh id per storage instance, plus the process and machine, so that another process can
/// tell whether a trial left Running still has a live owner (see <see cref="IStudyStorage.RecoverInterruptedTrials"/>).
/// </summary>
/// <param name="WorkerId">Unique per storage instance (a GUID by default).</param>
/// <param name="ProcessId">The owning process's id.</param>
/// <param name="MachineName">The machine the process runs on; process ids are only checked on the same machine.</param>
/// <param name="ProcessStartedAt">
/// When the owning process started, in UTC, if known. It tells a reused process id from the original process.
/// </param>
public sealed record WorkerIdentity(string WorkerId, int ProcessId, string MachineName, DateTimeOffset? ProcessStartedAt)
{
    /// <summary>A new worker id for the current process.</summary>
    public static WorkerIdentity ForCurrentProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new WorkerIdentity(Guid.NewGuid().ToString("N"), process.Id, Environment.MachineName, TryGetStartTime(process));
    }

    /// <summary>A new worker id for <paramref name="process"/> on this machine.</summary>
    public static WorkerIdentity ForProcess(Process process) =>
        new(Guid.NewGuid().ToString("N"), process.Id, Environment.MachineName, TryGetStartTime(process));

    internal static DateTimeOffset? TryGetStartTime(Process process)
    {
        try
        {
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Exited, or not readable for this user: the id alone has to do.
            return null;
        }
    }
}
