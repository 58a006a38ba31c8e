using System.Diagnostics;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Retries a call of <see cref="RdbStudyStorage"/> that failed because the database went away (a dropped connection,
/// a server restarting or refusing connections for a moment): with backoff from 0.1 s doubling to 5 s, on a new
/// connection each time, for up to <see cref="Patience"/>; then the fault is thrown. Only after the storage has once
/// connected: a database that cannot be reached at all fails at once, naming why. This is the smallest retry that
/// shared-study workers need, so that a database restart costs retries, not trials; the reliability work's
/// <c>RetryingStudyStorage</c> decorator is meant to replace it (docs/distributed.md).
/// </summary>
/// <remarks>
/// A write whose commit reached the server but whose answer was lost is sent again: a trial created twice is then
/// left Running and failed as interrupted once its worker ends, and a second finish of a trial throws as finishing
/// a finished trial does. Both need the connection to drop in the instant between commit and answer.
/// </remarks>
internal static class RdbRetry
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(5);

    public static T Run<T>(Func<T> call, Func<StudyStorageException, bool> retryable)
    {
        var clock = Stopwatch.StartNew();
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return call();
            }
            catch (StudyStorageException e) when (retryable(e) && clock.Elapsed + delay < Patience)
            {
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }
}
