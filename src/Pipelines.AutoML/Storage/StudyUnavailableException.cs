namespace Pipelines.AutoML.Storage;

/// <summary>
/// The study could not be read or written even after retrying (<see cref="RetryingStudyStorage"/>): a fault of the
/// storage, never of a trial. An experiment that meets it stops cleanly with the trials it has.
/// </summary>
public sealed class StudyUnavailableException(StudyStorageException last, int attempts, TimeSpan waited)
    : IOException($"{last.Message} It still failed after {attempts} attempt(s) over {waited.TotalSeconds:0.#} s.", last)
{
    /// <summary>The fault of the last attempt.</summary>
    public StorageFault Fault => last.Fault;

    public int Attempts { get; } = attempts;
}
