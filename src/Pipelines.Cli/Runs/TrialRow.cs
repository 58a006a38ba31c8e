using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Runs;

/// <summary>
/// One trial as the live table, the summary and leaderboard.csv show it, read through <see cref="TrialFacts"/>. Batch
/// size and epochs are what the Torch trainer used when it recorded them, else the sampled values; the learning rate
/// is the sampled one. They are empty for trainers that do not have them. The status is a word of
/// <see cref="TrialFacts.StatusName"/>; the parameters are the tuned values as text, by name.
/// </summary>
internal sealed record TrialRow(int Id, string Trainer, string Status, int? BatchSize, int? EpochsRun, double? LearningRate, double? WeightDecay,
    double? ValidationMetric, double? TrainMetric, double? Gap, double? Objective, double DurationSeconds, string? Error,
    IReadOnlyDictionary<string, string> Parameters)
{
    public static TrialRow From(TrialRecord trial, int? epochsSoFar = null)
    {
        var facts = TrialFacts.From(trial);
        return new TrialRow(trial.Id, trial.Trainer ?? "?", facts.StatusName,
            BatchSize: facts.BatchSize,
            EpochsRun: trial.IsFinished ? facts.EpochsRun : epochsSoFar ?? facts.EpochsRun,
            LearningRate: facts.SampledLearningRate,
            WeightDecay: facts.WeightDecay,
            ValidationMetric: trial.ValidationMetric, TrainMetric: trial.TrainMetric, Gap: trial.GeneralizationGap, Objective: trial.Objective,
            DurationSeconds: trial.IsFinished ? trial.DurationSeconds : (DateTimeOffset.UtcNow - trial.StartedAt).TotalSeconds,
            Error: trial.Error,
            Parameters: Tuned(facts.TrainerParameters));
    }

    /// <summary>Trials finished on their own; interrupted and cancelled ones do not use up a trial budget (their work is redone or dropped).</summary>
    public static bool CountsAgainstBudget(TrialRecord trial) => trial.IsFinished && TrialFacts.From(trial).StatusName is not ("interrupted" or "cancelled");

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
