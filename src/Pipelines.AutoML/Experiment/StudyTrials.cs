using Pipelines.AutoML.Storage;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// One run's view of its study's trials, kept up to date by reading only what can have changed: a finished trial is
/// final in every field the loop reads (status, parameters, objective, curve), so once read it is kept, and each
/// <see cref="Read"/> asks the storage only for the trials from the oldest one not yet finished (the unfinished ones
/// and those created since). A study shared by many workers is then read in time that grows with the trials in
/// flight, not with the study. Attributes written on a trial after it finished (requeued_as) may be missing here;
/// the end of the run reads the whole study. Ids grow in the order trials are created: creation holds the study's
/// lock (<see cref="IStudyStorage.CreateTrial"/>), so no trial can appear later below an id already read.
/// </summary>
internal sealed class StudyTrials(IStudyStorage storage, string studyName)
{
    readonly object _gate = new();
    readonly SortedDictionary<int, TrialRecord> _trials = new();

    /// <summary>Every id below this is a finished trial in <see cref="_trials"/> (or no trial of this study).</summary>
    int _from;

    /// <summary>The study's trials in id order, as of now.</summary>
    public IReadOnlyList<TrialRecord> Read()
    {
        lock (_gate)
        {
            var fresh = storage.GetTrials(studyName, _from);
            foreach (var trial in fresh) _trials[trial.Id] = trial;
            int? oldestUnfinished = null;
            foreach (var trial in fresh)
            {
                if (!trial.IsFinished) { oldestUnfinished = trial.Id; break; }
            }
            if (oldestUnfinished is { } id) _from = id;
            else if (fresh.Count > 0) _from = fresh[^1].Id + 1;
            return _trials.Values.ToList();
        }
    }
}
