using System.Globalization;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// The optimization loop (as Optuna's <c>_optimize</c>): while the budget lasts, keep up to the parallel number of
/// trials running. Each trial is first created in the study (ask), then filled with the parameters the tuner
/// proposes for that trial id, or with those of a stopped trial that runs again; it runs on its own thread and is
/// told to the study, the tuner and the monitor by <see cref="TellStep"/> when it ends. Before each ask,
/// <see cref="StudySync"/> brings in what other workers of the study did.
/// </summary>
internal sealed class TrialLoop(StudySession session, ITuner tuner, IReadOnlyList<TrialRecord> previous, TellStep tell, object gate)
{
    public required int Seed { get; init; }
    public required int Parallel { get; init; }
    public int? MaxTrials { get; init; }
    /// <summary>Seconds left of the time budget, or null without one.</summary>
    public Func<double?> SecondsLeft { get; init; } = () => null;

    /// <summary>How often the tuner is asked again when it proposes a configuration the study already holds.</summary>
    const int RepeatRetries = 16;

    readonly RequeuePolicy _requeue = new(previous);
    StudySync? _sync;
    readonly HashSet<Parameter> _seen = previous.Select(t => t.Parameters).ToHashSet();
    int _started;

    public void Run(CancellationToken budget, CancellationToken caller)
    {
        var running = new List<Task>();
        while (true)
        {
            while (running.Count < Parallel && !budget.IsCancellationRequested && (MaxTrials == null || _started < MaxTrials) && AnyTrialFits())
            {
                var (trial, seed) = Ask();
                running.Add(Task.Factory.StartNew(() =>
                {
                    var (outcome, seconds) = TrialExecution.Run(session, trial, seed, budget, caller);
                    tell.Tell(trial.Id, outcome, seconds);
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            if (running.Count == 0) return;
            int done = Task.WaitAny(running.ToArray());
            running[done].GetAwaiter().GetResult();
            running.RemoveAt(done);
        }
    }

    /// <summary>A trial expected to outlast the budget is not started: its time is better left unspent than cut off.</summary>
    bool AnyTrialFits() => SecondsLeft() is not { } left || tuner is not IBudgetAwareTuner aware || aware.CanFit(left);

    /// <summary>Creates the next trial, then asks for its parameters: a stopped trial's again, or the tuner's for its id.</summary>
    (TrialRecord Trial, int Seed) Ask()
    {
        var storage = session.Storage;
        lock (gate)
        {
            _sync ??= new StudySync(session, tuner, _requeue, previous, _seen);
            _sync.Pull();
            var rerun = _requeue.Next();
            int id = storage.CreateTrial(session.StudyName, Parameter.CreateObject(), null, DateTimeOffset.UtcNow);
            _sync.Own(id);
            var parameters = rerun?.Parameters ?? ProposeNew(id);
            int seed = unchecked(Seed * 7919 + previous.Count + _started);
            _started++;
            storage.SetTrialParameters(id, parameters, parameters[OneOfSpace.OptionKey].AsString());
            if (rerun != null) storage.SetTrialAttribute(rerun.Id, TrialAttributes.RequeuedAs, id.ToString(CultureInfo.InvariantCulture));
            storage.SetTrialAttribute(id, TrialAttributes.Seed, seed.ToString(CultureInfo.InvariantCulture));
            return (storage.GetTrial(id), seed);
        }
    }

    /// <summary>
    /// The tuner's proposal for trial <paramref name="id"/>, asked again while it repeats a configuration of the study
    /// (a resumed run, a small discrete space): a repeat costs a trial and teaches nothing new.
    /// </summary>
    Parameter ProposeNew(int id)
    {
        var settings = new TrialSettings(id, SecondsLeft());
        var parameters = tuner.Propose(settings);
        for (int retry = 0; retry < RepeatRetries && _seen.Contains(parameters); retry++) parameters = tuner.Propose(settings);
        _seen.Add(parameters);
        return parameters;
    }
}
