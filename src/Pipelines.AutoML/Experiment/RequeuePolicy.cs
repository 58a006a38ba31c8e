using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// What a run does with the trials a study already holds. Trials stopped from outside (a killed process, Ctrl+C)
/// run again, once each, before the tuner proposes; budget cut-offs are not rerun. Those stopped trials teach the
/// tuner nothing, since their parameters did not cause the stop; every other finished trial does.
/// </summary>
internal sealed class RequeuePolicy
{
    readonly Queue<TrialRecord> _reruns;

    public RequeuePolicy(IEnumerable<TrialRecord> previous) => _reruns = new Queue<TrialRecord>(previous.Where(ShouldRerun));

    /// <summary>Queues a trial stopped while this run goes on (another worker's, recovered by this one), if it is to run again.</summary>
    public void Add(TrialRecord trial)
    {
        if (ShouldRerun(trial)) _reruns.Enqueue(trial);
    }

    /// <summary>The next stopped trial to run again, or null when none is left.</summary>
    public TrialRecord? Next() => _reruns.Count > 0 ? _reruns.Dequeue() : null;

    /// <summary>Whether the tuner learns from <paramref name="trial"/>: finished on its own, not stopped from outside.</summary>
    public static bool Teaches(TrialRecord trial) => trial.IsFinished && !IStudyStorage.WasStoppedFromOutside(trial);

    /// <summary>
    /// The seed a run's tuner is built with: the experiment's seed for a new study, and one that moves on with the
    /// study's size for a resumed one, so that the tuner continues its sequence instead of replaying the first run's.
    /// </summary>
    public static int TunerSeed(int seed, int previousTrials) => previousTrials == 0 ? seed : unchecked(seed + 104_729 * previousTrials);

    /// <summary>Feeds the tuner every trial it learns from.</summary>
    public static void Replay(ITuner tuner, IEnumerable<TrialRecord> trials, OptimizationDirection direction)
    {
        foreach (var trial in trials.Where(Teaches)) tuner.Update(ToResult(trial, direction));
    }

    /// <summary>The result a tuner learns from: the objective as a loss, infinite for trials without one.</summary>
    public static TrialResult ToResult(TrialRecord t, OptimizationDirection direction) =>
        new(t.Id, t.Parameters, t.Status == TrialStatus.Completed && t.Objective is { } o ? direction.ToLoss(o) : double.PositiveInfinity,
            t.DurationSeconds, t.Status);

    // A trial that died between its creation and its tuner's proposal has no parameters to run again.
    static bool ShouldRerun(TrialRecord t) => IStudyStorage.WasStoppedFromOutside(t) && t.Error != IStudyStorage.BudgetError
        && !t.Attributes.ContainsKey(TrialAttributes.RequeuedAs) && t.Parameters.ContainsKey(OneOfSpace.OptionKey);
}
