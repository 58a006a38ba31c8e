namespace Pipelines.AutoML.Storage;

/// <summary>
/// A study as stored: what it optimizes, over which search space, and free-form attributes (task, label column,
/// dataset path, seed, ...) that a resumed run reads back. The search space is JSON, as first written; the creation
/// time is in UTC.
/// </summary>
public sealed record StudyRecord(string Name, OptimizationDirection Direction, string MetricName, string SearchSpaceJson, DateTimeOffset CreatedAt)
{
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
