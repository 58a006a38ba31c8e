using Pipelines.AutoML.SearchSpaces;
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
        var facts = TrialFacts.From(trial);
        return new TrialRow
        {
            Id = trial.Id,
            Trainer = trial.Trainer ?? "?",
            Status = facts.StatusName,
            BatchSize = facts.BatchSize,
            EpochsRun = trial.IsFinished ? facts.EpochsRun : epochsSoFar ?? facts.EpochsRun,
            LearningRate = facts.SampledLearningRate,
            WeightDecay = facts.WeightDecay,
            ValidationMetric = trial.ValidationMetric,
            TrainMetric = trial.TrainMetric,
            Gap = trial.GeneralizationGap,
            Objective = trial.Objective,
            DurationSeconds = trial.IsFinished ? trial.DurationSeconds : (DateTimeOffset.UtcNow - trial.StartedAt).TotalSeconds,
            Error = trial.Error,
            Parameters = Tuned(facts.TrainerParameters),
        };
    }

    /// <summary>Trials finished on their own; interrupted and cancelled ones do not use up a trial budget (their work is redone or dropped).</summary>
    public static bool CountsAgainstBudget(TrialRecord trial) => trial.IsFinished && TrialFacts.From(trial).StatusName is not ("interrupted" or "cancelled");

    /// <summary>Completed trials by objective, then pruned, then the rest, as ExperimentResult.Leaderboard orders them.</summary>
    public static IReadOnlyList<TrialRecord> Rank(IEnumerable<TrialRecord> trials, OptimizationDirection direction) => trials
        .OrderBy(t => t.Status == TrialStatus.Completed ? 0 : t.Status == TrialStatus.Pruned ? 1 : t.Status == TrialStatus.Running ? 3 : 2)
        .ThenBy(t => t.Objective is { } o ? direction.ToLoss(o) : double.PositiveInfinity)
        .ThenBy(t => t.Id)
        .ToList();

    /// <summary>The trainer's own parameters as text, by name (nested ones as their JSON).</summary>
    static IReadOnlyDictionary<string, string> Tuned(Parameter? inner)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in inner?.Keys ?? Enumerable.Empty<string>()) values[key] = Text(inner![key]);
        return values;
    }

    static string Text(Parameter value)
    {
        var node = value.ToNode();
        return node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
    }
}
