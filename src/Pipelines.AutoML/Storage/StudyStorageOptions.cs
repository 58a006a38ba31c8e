namespace Pipelines.AutoML.Storage;

/// <summary>Settings every study storage shares.</summary>
public record StudyStorageOptions
{
    /// <summary>The identity written on trials this instance creates; a new one for the current process if null.</summary>
    public WorkerIdentity? Worker { get; init; }

    /// <summary>
    /// A Running trial of another worker whose heartbeat is older than this counts as interrupted. Heartbeats come
    /// with every write about the trial and with <see cref="IStudyStorage.Heartbeat"/>; a runner whose steps take
    /// longer than this must call <see cref="IStudyStorage.Heartbeat"/> in between.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How a call that failed for a reason that may pass is tried again (<see cref="RetryingStudyStorage"/>).</summary>
    public StudyRetryPolicy Retry { get; init; } = new();

    /// <summary>The clock for heartbeats and recovery (tests move it forward).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
