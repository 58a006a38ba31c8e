using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Pipelines.AutoML.Storage;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// The end of a run: the result from the trials it has, the best model (an ensemble when it wins; refitted when asked
/// and the budget has room for it) and every trial. After a storage fault the trials are those this run knows, no ensemble is built (it would be
/// written to the study), and the result carries the fault; with no model at all the fault itself is thrown.
/// </summary>
internal sealed record RunEnd(MLContext Ml, DatasetPlan Data, IEstimator<ITransformer>? Featurizer, int Seed, double? Seconds, bool Ensemble, bool Refit,
    IReadOnlyDictionary<string, Parameter> Defaults)
{
    public ExperimentResult Result(StudySession session, TellStep tell, IReadOnlyList<TrialRecord> previous, StudyRecord study, Stopwatch clock,
        Exception? storageFault, CancellationToken cancellationToken)
    {
        var trials = storageFault == null ? session.Storage.GetTrials(session.StudyName) : tell.KnownTrials(previous);
        if (tell.Best is not { } best)
        {
            if (storageFault != null) ExceptionDispatchInfo.Throw(storageFault);
            throw FailureSummary.NoModel(trials, clock.Elapsed, cancellationToken.IsCancellationRequested, Seconds);
        }
        var final = new FinalModel(Ml, session, Data, Featurizer, Seed);
        double searchEnd = clock.Elapsed.TotalSeconds;
        bool ensembleRuns = Ensemble && !cancellationToken.IsCancellationRequested && storageFault == null;
        // The second look, where it fits, weighs the best trial against the defaults, and an ensemble of its candidates
        // against the single model it chose, on all rows; otherwise the ensemble is checked on the validation rows, and
        // the kept models of the best trial and the best default meet there when it is not kept.
        var guard = storageFault == null
            ? new DefaultGuard(session, tell, Defaults, final)
            {
                SecondLook = c => SecondLook(session, c, clock, cancellationToken),
                OtherTrainers = ensembleRuns ? SecondLookOtherTrainers : 0,
            }
            : null;
        var choice = guard?.Check(best, trials);
        var single = choice?.Default ?? best;
        var ensembleStep = new FinalEnsemble(session, tell, Seed) { MayKeep = RefitAllows(session, single, clock) };
        // Where the second look's candidates have too few kept models (an earlier run's trials), the validation rows decide.
        var ensemble = !ensembleRuns ? null
            : (guard?.Evidence is { } look ? ensembleStep.FromEvidence(look, single, trials) : null) ?? ensembleStep.Build(trials);
        var kept = ensemble is { Record: { } record, Model: { } model } ? (Record: record, Model: model, ensemble.Value.Outcome) : default;
        if (kept.Record != null) choice = null;
        var chosen = choice?.Default ?? (tell.TryGetModel(best.Id, out _) ? best : EarlierChoice(session, trials, best));
        if (choice != null) TrialAttributes.MarkChosenOver(session.Storage, chosen.Id, best.Id);
        var members = kept.Record != null ? kept.Outcome.MemberTrialIds.Select(id => trials.Single(t => t.Id == id)).ToList() : new List<TrialRecord> { chosen };
        var weights = kept.Record != null ? kept.Outcome.Weights : [1.0];
        // A stopped run (Ctrl+C, a cancelled token) saves what it has now, as it builds no ensemble.
        var refit = Refit && !cancellationToken.IsCancellationRequested ? Refittable(session, members, weights, clock) : new HashSet<int>();
        double finalStart = clock.Elapsed.TotalSeconds;
        // A refit predicted from its trial's time can still run long (a machine whose speed moves): it stops at its
        // deadline, and the model the search trained is returned.
        using var refitStop = new CancellationTokenSource();
        if (Seconds is { } budget) refitStop.CancelAfter(TimeSpan.FromSeconds(Math.Max(0, RefitDeadline(budget) - finalStart)));
        var bestTrial = kept.Record != null
            ? final.ForEnsemble(kept.Record, kept.Model, members, weights, refit, tell, refitStop.Token)
            : final.Build(chosen, tell, refit.Count > 0, refitStop.Token);
        return new ExperimentResult
        {
            Best = bestTrial,
            Trials = storageFault == null ? session.Storage.GetTrials(session.StudyName) : trials,
            Study = study,
            Metric = session.Data.Metric,
            Direction = session.Direction,
            Elapsed = clock.Elapsed,
            EndSeconds = (finalStart - searchEnd, clock.Elapsed.TotalSeconds - finalStart),
            Ensemble = ensemble?.Outcome,
            DefaultChoice = choice,
            StorageFault = storageFault,
        };
    }

    /// <summary>
    /// When the best trial is an earlier run's (a resume or export that trained nothing better), what that run returned:
    /// the default it chose over the best trial, if it did (<see cref="TrialAttributes.ChosenOver"/>).
    /// </summary>
    static TrialRecord EarlierChoice(StudySession session, IReadOnlyList<TrialRecord> trials, TrialRecord best)
    {
        var ranked = TrialRanking.Completed(trials, session.Direction).Where(t => t.Trainer != EnsembleOutcome.TrainerName).ToList();
        return ranked.FirstOrDefault()?.Id == best.Id ? TrialAttributes.ResultOf(ranked) ?? best : best;
    }

    /// <summary>How far past its budget a run may go to refit: the budget's 10% allowance.</summary>
    const double RefitAllowance = 0.1;

    /// <summary>The share of the budget a stopped refit leaves for its fit to reach its next check and the result to be returned.</summary>
    const double StopMargin = 0.01;

    /// <summary>
    /// When a refit must be over: the end of the budget and its allowance, less the stop margin. The refits chosen to
    /// run are those predicted to end by it, and one still running then is stopped.
    /// </summary>
    static double RefitDeadline(double budget) => budget * (1 + RefitAllowance - StopMargin);

    /// <summary>
    /// The seconds a search under a <paramref name="budget"/> leaves unspent for a refit predicted to take
    /// <paramref name="refitSeconds"/>: all of them while the refit still fits the budget and its allowance, else none
    /// (time kept for a refit that cannot run anyway is better spent on trials).
    /// </summary>
    public static double RefitReserve(double budget, double elapsed, double refitSeconds) =>
        elapsed + refitSeconds <= budget * (1 + RefitAllowance) ? refitSeconds : 0;

    /// <summary>The largest share of its budget a search leaves unspent for the second look (<see cref="DefaultGuard"/>).</summary>
    const double SecondLookShare = 0.25;

    /// <summary>With the ensemble on, how many other trainers' best trials join the second look (<see cref="DefaultGuard.OtherTrainers"/>).</summary>
    const int SecondLookOtherTrainers = 2;

    /// <summary>
    /// The seconds a search leaves unspent for what follows it: the final ensemble step's predicted
    /// <paramref name="ensembleSeconds"/>, the refit's while it can still fit after it (<see cref="RefitReserve"/>), and
    /// the second look's while it takes at most <see cref="SecondLookShare"/> of the budget and fits after both.
    /// </summary>
    public static double Reserve(double budget, double elapsed, double refitSeconds, double ensembleSeconds, double secondLookSeconds = 0)
    {
        double reserved = ensembleSeconds + RefitReserve(budget, elapsed + ensembleSeconds, refitSeconds);
        bool look = secondLookSeconds <= budget * SecondLookShare && elapsed + reserved + secondLookSeconds <= budget * (1 + RefitAllowance);
        return reserved + (look ? secondLookSeconds : 0);
    }

    /// <summary>
    /// The seconds the search has left for trials under the budget (null without one), once the ensemble step, the
    /// refit and the second look of the trials so far are reserved (<see cref="Reserve"/>).
    /// </summary>
    public double? SearchSecondsLeft(StudySession session, TellStep tell, IReadOnlyList<TrialRecord> previous, Stopwatch clock)
    {
        if (Seconds is not { } budget) return null;
        double elapsed = clock.Elapsed.TotalSeconds;
        bool oneSplit = session.Data.Folds.Count == 1;
        double scale = oneSplit ? RefitScale(session.Data) : 0;
        double refit = Refit ? (tell.Best?.DurationSeconds ?? 0) * scale : 0;
        double ensemble = Ensemble && oneSplit ? tell.EnsembleStepSeconds(FinalEnsemble.Candidates) : 0;
        var known = tell.KnownTrials(previous);
        double look = DefaultGuard.SecondLookSeconds(DefaultGuard.Candidates(session, tell.Best, known, Defaults, Ensemble ? SecondLookOtherTrainers : 0), scale);
        // As the second look itself does, the other trainers are left out where the look would not fit with them.
        if (look > budget * SecondLookShare) look = DefaultGuard.SecondLookSeconds(DefaultGuard.Candidates(session, tell.Best, known, Defaults), scale);
        return budget - elapsed - Reserve(budget, elapsed, refit, ensemble, look);
    }

    /// <summary>
    /// Whether the second look over <paramref name="candidates"/> may run, as <see cref="DefaultGuard.SecondLook"/> asks:
    /// always without a budget; under one, when its predicted time ends by its deadline, which is the budget (the
    /// allowance is the refit's), or earlier where a refit that fits now would no longer fit after it. Not in a stopped
    /// run, which saves what it has now.
    /// </summary>
    Func<bool>? SecondLook(StudySession session, IReadOnlyList<TrialRecord> candidates, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return null;
        if (Seconds is not { } budget) return () => false;
        double elapsed = clock.Elapsed.TotalSeconds, scale = RefitScale(session.Data), allowed = budget * (1 + RefitAllowance);
        double refit = Refit ? candidates.Max(t => t.DurationSeconds) * scale : 0;
        double deadline = elapsed + refit <= allowed ? Math.Min(budget, allowed - refit) : budget;
        return elapsed + DefaultGuard.SecondLookSeconds(candidates, scale) <= deadline ? () => clock.Elapsed.TotalSeconds > deadline : null;
    }

    /// <summary>
    /// With a refit under a time budget, an ensemble is kept only when all its members' refits fit what is left, or
    /// when the best single model's does not fit either: returning members that saw fewer rows where a refitted single
    /// model could be returned lost on the benchmark's test rows (docs/benchmarks.md, quality runs 8 and 9).
    /// </summary>
    Func<IReadOnlyList<TrialRecord>, IReadOnlyList<double>, bool>? RefitAllows(StudySession session, TrialRecord best, Stopwatch clock) =>
        !Refit ? null : (members, weights) =>
            Refittable(session, members, weights, clock).Count == members.Count || Refittable(session, [best], [1.0], clock).Count == 0;

    /// <summary>
    /// The members to refit. Under a time budget a member is refitted only when its predicted time, its trial's time
    /// scaled by all rows over training rows, fits in what is left before <see cref="RefitDeadline"/> after the members
    /// of larger weight that fit; without a budget (or with cross-validation, whose trials already fit every fold)
    /// every member is.
    /// </summary>
    HashSet<int> Refittable(StudySession session, IReadOnlyList<TrialRecord> members, IReadOnlyList<double> weights, Stopwatch clock) =>
        Seconds is not { } budget || session.Data.Folds.Count != 1
            ? members.Select(m => m.Id).ToHashSet()
            : Refittable(members, weights, RefitScale(session.Data), RefitDeadline(budget) - clock.Elapsed.TotalSeconds);

    /// <summary>The members, largest weight first, whose refits (trial seconds times <paramref name="scale"/>) fit in <paramref name="secondsLeft"/> together.</summary>
    public static HashSet<int> Refittable(IReadOnlyList<TrialRecord> members, IReadOnlyList<double> weights, double scale, double secondsLeft)
    {
        var chosen = new HashSet<int>();
        foreach (int i in Enumerable.Range(0, members.Count).OrderByDescending(i => weights[i]).ThenBy(i => i))
        {
            double seconds = members[i].DurationSeconds * scale;
            if (seconds > secondsLeft) continue;
            chosen.Add(members[i].Id);
            secondsLeft -= seconds;
        }
        return chosen;
    }

    /// <summary>How much longer a refit takes than its trial: all rows (training plus validation) over training rows.</summary>
    public static double RefitScale(ExperimentData data) =>
        (data.TrainRows + DataPreparation.CountRows(data.Folds[0].Validation)) / (double)Math.Max(1, data.TrainRows);
}
