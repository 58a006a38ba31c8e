using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Tuners;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// The optimization loop (as Optuna's <c>_optimize</c>): while the budget lasts, keep up to the parallel number of
/// trials running. Each trial is first created in the study (ask), then filled with the parameters the tuner
/// proposes for that trial id, or with those of a stopped trial that runs again; it runs on its own thread and is
/// told to the study, the tuner and the monitor by <see cref="TellStep"/> when it ends. Before each ask,
/// <see cref="StudySync"/> brings in what other workers of the study did. A storage fault stops the loop cleanly
/// (<see cref="StorageFault"/>).
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

    /// <summary>
    /// The storage fault that stopped the loop, if one did: no trial is started after it, the running ones are stopped,
    /// and no trial is recorded as failed or taught to the tuner because of it.
    /// </summary>
    public Exception? StorageFault { get; private set; }

    public void Run(CancellationToken budget, CancellationToken caller)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(budget);
        var running = new List<Task>();
        while (true)
        {
            while (running.Count < Parallel && !stop.IsCancellationRequested && (MaxTrials == null || _started < MaxTrials) && AnyTrialFits())
            {
                if (!TryAsk(stop, out var trial, out int seed)) break;
                // Rounded up to the next millisecond and one more: a timer fires on whole milliseconds, and a deadline that
                // fired before the search's time was spent left it a fraction of a millisecond, in which the loop started
                // another trial only for the budget to stop it at once.
                var deadline = SecondsLeft() is { } left && left > 0 ? TimeSpan.FromMilliseconds(Math.Ceiling(left * 1000) + 1) : (TimeSpan?)null;
                running.Add(Task.Factory.StartNew(() => RunTrial(trial, seed, stop, caller, deadline),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            if (running.Count == 0) return;
            int done = Task.WaitAny(running.ToArray());
            running[done].GetAwaiter().GetResult();
            running.RemoveAt(done);
        }
    }

    /// <summary>
    /// Runs one trial. It is stopped, as at the budget's end, once it outlasts the <paramref name="deadline"/> it started
    /// with (the seconds the search had left, <see cref="SecondsLeft"/>): its cost was predicted to fit there, and a
    /// trial that runs on spends what the search keeps for the ensemble step, the second look and the refit.
    /// </summary>
    void RunTrial(TrialRecord trial, int seed, CancellationTokenSource stop, CancellationToken caller, TimeSpan? deadline)
    {
        using var own = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        if (deadline is { } d) own.CancelAfter(d);
        try
        {
            var (outcome, seconds) = TrialExecution.Run(session, trial, seed, own.Token, caller);
            // Cut off because another trial met a storage fault: not the budget's doing, so a resume runs it again.
            if (StorageFault != null && outcome.Error == IStudyStorage.BudgetError) outcome = outcome with { Error = IStudyStorage.CancelledError };
            tell.Tell(trial.Id, outcome, seconds);
        }
        catch (Exception e) when (StudyStorageException.IsStorageFault(e))
        {
            StopFor(e, stop);
        }
    }

    bool TryAsk(CancellationTokenSource stop, out TrialRecord trial, out int seed)
    {
        try
        {
            (trial, seed) = Ask();
            return true;
        }
        catch (Exception e) when (StudyStorageException.IsStorageFault(e))
        {
            StopFor(e, stop);
            (trial, seed) = (null!, 0);
            return false;
        }
    }

    /// <summary>The first storage fault is kept; the trials still running are stopped as if the budget had run out.</summary>
    void StopFor(Exception fault, CancellationTokenSource stop)
    {
        lock (gate) StorageFault ??= fault;
        stop.Cancel();
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
