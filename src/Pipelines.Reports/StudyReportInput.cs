using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Storage;

namespace Pipelines.Reports;

/// <summary>
/// Everything a study report shows: the trials and what they optimized, plus free-form settings (tuner, pruner,
/// trainers, seed, budget, ...) that the page lists as they are.
/// </summary>
public sealed record StudyReportInput
{
    /// <summary>The page's title, for example the dataset's name.</summary>
    public required string Title { get; init; }
    public required PredictionKind Task { get; init; }
    /// <summary>The metric the study optimized, for example "Accuracy" or "RootMeanSquaredError".</summary>
    public required string MetricName { get; init; }
    public required OptimizationDirection Direction { get; init; }
    public string LabelColumn { get; init; } = "Label";
    public required IReadOnlyList<TrialRecord> Trials { get; init; }
    /// <summary>The trial the experiment returned; null: the completed trial with the best objective.</summary>
    public int? BestTrialId { get; init; }
    /// <summary>The experiment's wall time; null when unknown.</summary>
    public TimeSpan? Elapsed { get; init; }
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    /// <summary>When the report was made, shown on the page; null: the time of writing.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>Study attributes that become typed fields rather than settings.</summary>
    static readonly HashSet<string> TypedAttributes = new(StringComparer.Ordinal) { "task", "label", "title" };

    /// <summary>
    /// Rebuilds the input from storage alone (for <c>pipelines report</c> on a study.db): direction and metric from
    /// the study; task and label column from its "task" and "label" attributes (the experiment writes them); the title
    /// from <paramref name="title"/>, else a "title" or "dataset" attribute, else the study's name; every other
    /// attribute becomes a setting, overridden by <paramref name="settings"/>. The elapsed time is the span from the
    /// first trial's start to the last trial's end, since storage keeps no experiment clock.
    /// </summary>
    public static StudyReportInput FromStorage(IStudyStorage storage, string studyName, string? title = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(studyName);
        var study = storage.GetStudy(studyName)
            ?? throw new KeyNotFoundException($"There is no study '{studyName}'. Studies: {string.Join(", ", storage.GetStudyNames())}.");
        var trials = storage.GetTrials(studyName);
        var attributes = study.Attributes;

        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["study"] = studyName };
        foreach (var (key, value) in attributes)
            if (!TypedAttributes.Contains(key)) merged[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) merged[key] = value;

        return new StudyReportInput
        {
            Title = title ?? Attribute(attributes, "title") ?? Attribute(attributes, "dataset") ?? studyName,
            Task = TaskOf(attributes, study.MetricName),
            MetricName = study.MetricName,
            Direction = study.Direction,
            LabelColumn = Attribute(attributes, "label") ?? "Label",
            Trials = trials,
            Elapsed = WallTime(trials),
            Settings = new Dictionary<string, string>(merged),
        };
    }

    static string? Attribute(IReadOnlyDictionary<string, string> attributes, string key) =>
        attributes.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The stored task, else the first task whose metrics include the study's metric.</summary>
    static PredictionKind TaskOf(IReadOnlyDictionary<string, string> attributes, string metric)
    {
        if (Attribute(attributes, "task") is { } text && Enum.TryParse<PredictionKind>(text, ignoreCase: true, out var task)) return task;
        foreach (var kind in Enum.GetValues<PredictionKind>())
            if (MetricCatalog.MetricsFor(kind).Contains(metric, StringComparer.OrdinalIgnoreCase)) return kind;
        return PredictionKind.BinaryClassification;
    }

    static TimeSpan? WallTime(IReadOnlyList<TrialRecord> trials)
    {
        if (trials.Count == 0) return null;
        var start = trials.Min(t => t.StartedAt);
        var end = trials.Max(t => t.FinishedAt ?? t.StartedAt);
        return end > start ? end - start : TimeSpan.Zero;
    }
}
