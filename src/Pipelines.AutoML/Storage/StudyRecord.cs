using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// A study as stored: what it optimizes, over which search space, and free-form attributes (task, label column,
/// dataset path, seed, ...) that a resumed run reads back.
/// </summary>
public sealed record StudyRecord
{
    public required string Name { get; init; }
    public required OptimizationDirection Direction { get; init; }
    public required string MetricName { get; init; }
    /// <summary>The search space as JSON (see <c>SearchSpaceJson</c>), as first written.</summary>
    public required string SearchSpaceJson { get; init; }
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
    /// <summary>When the study was first created, in UTC.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
