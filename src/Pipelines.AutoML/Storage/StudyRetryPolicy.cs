using System.Diagnostics;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// How <see cref="RetryingStudyStorage"/> (every call) and <see cref="StudyStorageFactory.Open"/> (opening) retry a storage call that failed for a reason that may pass (a lock
/// held past the busy timeout, an I/O hiccup): up to <see cref="Attempts"/> calls in all, waiting
/// <see cref="FirstDelay"/>, then twice as long each time, never longer than <see cref="MaxDelay"/>.
/// </summary>
public sealed record StudyRetryPolicy
{
    /// <summary>Calls in all, the first included; 1 means no retry.</summary>
    public int Attempts { get; init; } = 4;

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How to wait between attempts (tests record the waits instead of sleeping).</summary>
    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        double ms = FirstDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
    }

    /// <summary>
    /// Calls <paramref name="call"/> until it succeeds, again after each transient <see cref="StudyStorageException"/>
    /// (<see cref="StudyStorageException.IsTransient"/>) with the waits above; other errors pass through at once.
    /// </summary>
    /// <exception cref="StudyUnavailableException">Every attempt failed with a transient fault.</exception>
    public T Run<T>(Func<T> call)
    {
        var watch = Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return call();
            }
            catch (StudyStorageException e) when (e.IsTransient)
            {
                if (attempt >= Attempts) throw new StudyUnavailableException(e, attempt, watch.Elapsed);
                Sleep(DelayAfter(attempt));
            }
        }
    }
}
