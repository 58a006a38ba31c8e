using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Keeps one worker's view of a study that other workers share up to date, before each trial is asked for: trials
/// whose worker stopped (silent past the heartbeat timeout, or a dead process on this machine) are failed and
/// queued to run again, and trials other workers finished since the last look feed this worker's tuner, so that
/// every tuner learns from the whole study (as every Optuna worker's sampler reads every trial).
/// </summary>
internal sealed class StudySync(StudySession session, ITuner tuner, RequeuePolicy requeue, IEnumerable<TrialRecord> previous, ISet<Parameter> seen)
{
    /// <summary>Trials the tuner has learnt from (or will, through the tell step): the finished ones at the start and this worker's own.</summary>
    readonly HashSet<int> _known = previous.Where(t => t.IsFinished).Select(t => t.Id).ToHashSet();

    /// <summary>A trial this worker runs: its tell step feeds the tuner.</summary>
    public void Own(int trialId) => _known.Add(trialId);

    /// <summary>
    /// Recovers stopped trials, feeds the tuner what other workers finished, and adds every configuration of the study
    /// (running ones too) to <c>seen</c>, which the loop does not propose again; called under the loop's lock.
    /// </summary>
    public void Pull()
    {
        var storage = session.Storage;
        foreach (var stopped in storage.RecoverInterruptedTrials(session.StudyName))
        {
            _known.Add(stopped.Id);
            requeue.Add(stopped);
        }
        foreach (var trial in session.Trials.Read())
        {
            if (trial.Parameters.ContainsKey(OneOfSpace.OptionKey)) seen.Add(trial.Parameters);
            if (!trial.IsFinished || !_known.Add(trial.Id)) continue;
            if (RequeuePolicy.Teaches(trial)) tuner.Update(RequeuePolicy.ToResult(trial, session.Direction));
        }
    }
}
