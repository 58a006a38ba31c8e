using Pipelines.AutoML.Pruners;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tests.Pruners;

/// <summary>Hand-made trial records: one value per epoch, epochs counted from 1.</summary>
static class Records
{
    public static TrialRecord Trial(int id, TrialStatus status, params double[] valuePerEpoch) => new()
    {
        Id = id,
        Status = status,
        Parameters = Parameter.CreateObject(),
        IntermediateValues = valuePerEpoch.Select((value, i) => new IntermediateValue(i + 1, value)).ToArray(),
    };

    public static TrialRecord Running(int id, params double[] valuePerEpoch) => Trial(id, TrialStatus.Running, valuePerEpoch);
    public static TrialRecord Completed(int id, params double[] valuePerEpoch) => Trial(id, TrialStatus.Completed, valuePerEpoch);

    /// <summary>The same trial with values at the given steps, for reports that skip epochs.</summary>
    public static TrialRecord WithSteps(this TrialRecord trial, params (int Step, double Value)[] values) =>
        trial with { IntermediateValues = values.Select(v => new IntermediateValue(v.Step, v.Value)).ToArray() };

    /// <summary>The same trial with one more epoch reported.</summary>
    public static TrialRecord Report(this TrialRecord trial, double value) =>
        trial with { IntermediateValues = trial.IntermediateValues.Append(new IntermediateValue(trial.IntermediateValues.Count + 1, value)).ToArray() };

    /// <summary>A trial and the study, with the trial appended to <paramref name="others"/>.</summary>
    public static IReadOnlyList<TrialRecord> StudyWith(this IEnumerable<TrialRecord> others, TrialRecord trial) => others.Append(trial).ToList();

    /// <summary>The records mirrored for minimizing: every value v becomes 1 - v, so better and worse swap places.</summary>
    public static TrialRecord Mirrored(this TrialRecord trial) =>
        trial with { IntermediateValues = trial.IntermediateValues.Select(v => v with { Value = 1 - v.Value }).ToArray() };

    /// <summary>
    /// The pruner's decision for <paramref name="trial"/> in a study of <paramref name="others"/> plus the trial, written
    /// for maximizing; for <see cref="OptimizationDirection.Minimize"/> every record is mirrored first, so one test
    /// checks both directions.
    /// </summary>
    public static bool Prunes(this IPruner pruner, TrialRecord trial, IEnumerable<TrialRecord> others, OptimizationDirection direction)
    {
        if (direction == OptimizationDirection.Minimize)
        {
            trial = trial.Mirrored();
            others = others.Select(Mirrored);
        }
        return pruner.ShouldPrune(trial, others.StudyWith(trial), direction);
    }
}
