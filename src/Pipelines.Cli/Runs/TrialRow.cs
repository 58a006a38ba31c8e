using System.Globalization;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Runs;

/// <summary>
/// One trial as the live table, the summary and leaderboard.csv show it. Batch size, epochs and learning rate are
/// what the Torch trainer used (from the trial's training report) when it recorded them, else the sampled values;
/// they are empty for trainers that do not have them.
/// </summary>
internal sealed record TrialRow
{
    public required int Id { get; init; }
    public required string Trainer { get; init; }
    /// <summary>completed, pruned, failed, diverged, running, interrupted (its process died) or cancelled (Ctrl+C, time budget).</summary>
    public required string Status { get; init; }
    public int? BatchSize { get; init; }
    public int? EpochsRun { get; init; }
    public double? LearningRate { get; init; }
    public double? WeightDecay { get; init; }
    public double? ValidationMetric { get; init; }
    public double? TrainMetric { get; init; }
    public double? Gap { get; init; }
    public double? Objective { get; init; }
    public double DurationSeconds { get; init; }
    public string? Error { get; init; }
    /// <summary>The tuned values, by parameter name.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public static TrialRow From(TrialRecord trial, int? epochsSoFar = null)
    {
        var parameters = Tuned(trial.Parameters);
        return new TrialRow
        {
            Id = trial.Id,
            Trainer = trial.Trainer ?? "?",
            Status = StatusOf(trial),
            BatchSize = IntAttribute(trial, "batch_size") ?? IntParameter(parameters, "batch_size"),
            EpochsRun = IntAttribute(trial, "epochs_run") ?? epochsSoFar ?? (trial.IntermediateValues.Count > 0 ? trial.IntermediateValues[^1].Step : null),
            LearningRate = DoubleParameter(parameters, "learning_rate"),
            WeightDecay = DoubleParameter(parameters, "weight_decay"),
            ValidationMetric = trial.ValidationMetric,
            TrainMetric = trial.TrainMetric,
            Gap = trial.GeneralizationGap,
            Objective = trial.Objective,
            DurationSeconds = trial.IsFinished ? trial.DurationSeconds : (DateTimeOffset.UtcNow - trial.StartedAt).TotalSeconds,
            Error = trial.Error,
            Parameters = parameters,
        };
    }

    /// <summary>Trials finished on their own; interrupted and cancelled ones do not use up a trial budget (their work is redone or dropped).</summary>
    public static bool CountsAgainstBudget(TrialRecord trial) => trial.IsFinished && StatusOf(trial) is not ("interrupted" or "cancelled");

    /// <summary>Completed trials by objective, then pruned, then the rest, as ExperimentResult.Leaderboard orders them.</summary>
    public static IReadOnlyList<TrialRecord> Rank(IEnumerable<TrialRecord> trials, OptimizationDirection direction) => trials
        .OrderBy(t => t.Status == TrialStatus.Completed ? 0 : t.Status == TrialStatus.Pruned ? 1 : t.Status == TrialStatus.Running ? 3 : 2)
        .ThenBy(t => t.Objective is { } o ? direction.ToLoss(o) : double.PositiveInfinity)
        .ThenBy(t => t.Id)
        .ToList();

    static string StatusOf(TrialRecord trial) => trial.Status switch
    {
        TrialStatus.Running => "running",
        TrialStatus.Completed => "completed",
        TrialStatus.Pruned => "pruned",
        TrialStatus.Diverged => "diverged",
        _ when trial.Error == IStudyStorage.InterruptedError => "interrupted",
        _ when trial.Error is IStudyStorage.CancelledError or IStudyStorage.BudgetError => "cancelled",
        _ => "failed",
    };

    /// <summary>The trainer's own parameters: points are {"option": trainer, "parameters": {...}}.</summary>
    static IReadOnlyDictionary<string, string> Tuned(Parameter point)
    {
        var inner = point.ContainsKey(OneOfSpace.ParametersKey) ? point[OneOfSpace.ParametersKey] : point;
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in inner.Keys) values[key] = Text(inner[key]);
        return values;
    }

    static string Text(Parameter value)
    {
        var node = value.ToNode();
        return node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
    }

    static int? IntAttribute(TrialRecord trial, string key) =>
        trial.Attributes.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    static int? IntParameter(IReadOnlyDictionary<string, string> parameters, string key) =>
        parameters.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? (int)Math.Round(value) : null;

    static double? DoubleParameter(IReadOnlyDictionary<string, string> parameters, string key) =>
        parameters.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
}
