namespace Pipelines.AutoML.Pruners;

/// <summary>
/// Decides, from stored trial records only, whether a running trial should stop now. Called after each
/// intermediate value (epoch). Pruners know nothing about training, so they are tested on hand-made records.
/// </summary>
public interface IPruner
{
    /// <summary>
    /// True to stop <paramref name="trial"/> (whose <see cref="TrialRecord.IntermediateValues"/> end with the value
    /// just reported). <paramref name="trials"/> holds every trial of the study, this one included.
    /// </summary>
    bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> trials, OptimizationDirection direction);
}
