namespace Pipelines.AutoML.Storage;

/// <summary>
/// Thrown when a study is opened with a direction or metric that differs from the stored one: resuming would
/// otherwise feed the tuner objectives that mean something else.
/// </summary>
public sealed class StudyMismatchException : InvalidOperationException
{
    public StudyMismatchException(string studyName, string what, string stored, string requested)
        : base($"Study '{studyName}' already exists with {what} '{stored}', but it was opened with {what} '{requested}'. " +
               $"Use the stored {what} to resume it, or choose another study name.")
    {
        StudyName = studyName;
    }

    public string StudyName { get; }

    internal static void ThrowIfDifferent(StudyRecord stored, OptimizationDirection direction, string metricName)
    {
        if (stored.Direction != direction)
            throw new StudyMismatchException(stored.Name, "direction", stored.Direction.ToString(), direction.ToString());
        // Metric names are compared ignoring case so that "Accuracy" and "accuracy" resume the same study.
        if (!string.Equals(stored.MetricName, metricName, StringComparison.OrdinalIgnoreCase))
            throw new StudyMismatchException(stored.Name, "metric", stored.MetricName, metricName);
    }
}
