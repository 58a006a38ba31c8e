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
        bool ensembleRuns = Ensemble && !cancellationToken.IsCancellationRequested && storageFault == null;
        var ensemble = ensembleRuns ? new FinalEnsemble(session, tell, Seed).Build(trials) : null;
        var kept = ensemble is { Record: { } record, Model: { } model } ? (Record: record, Model: model, ensemble.Value.Outcome) : default;
        // Without a kept ensemble, a best trial that does not clearly beat the best default gives way to it.
        var guard = kept.Record == null && storageFault == null ? new DefaultGuard(session, tell, Defaults).Check(best, trials) : null;
        var chosen = guard?.Default ?? (tell.TryGetModel(best.Id, out _) ? best : EarlierChoice(session, trials, best));
        if (guard != null) session.Storage.SetTrialAttribute(chosen.Id, TrialAttributes.ChosenOver, best.Id.ToString(CultureInfo.InvariantCulture));
        var members = kept.Record != null ? kept.Outcome.MemberTrialIds.Select(id => trials.Single(t => t.Id == id)).ToList() : new List<TrialRecord> { chosen };
        // A stopped run (Ctrl+C, a cancelled token) saves what it has now, as it builds no ensemble.
        bool refit = Refit && !cancellationToken.IsCancellationRequested && RefitFits(session, members, clock);
        return new ExperimentResult
        {
            Best = kept.Record != null ? final.ForEnsemble(kept.Record, kept.Model, members, kept.Outcome.Weights, refit) : final.Build(chosen, tell, refit),
            Trials = storageFault == null ? session.Storage.GetTrials(session.StudyName) : trials,
            Study = study,
            Metric = session.Data.Metric,
            Direction = session.Direction,
            Elapsed = clock.Elapsed,
            Ensemble = ensemble?.Outcome,
            DefaultChoice = guard,
            StorageFault = storageFault,
        };
    }

    /// <summary>
    /// When the best trial is an earlier run's (a resume or export that trained nothing better), what that run returned:
    /// the default it chose over the best trial, if it did (<see cref="TrialAttributes.ChosenOver"/>).
    /// </summary>
    static TrialRecord EarlierChoice(StudySession session, IReadOnlyList<TrialRecord> trials, TrialRecord best)
    {
        var ranked = trials.Where(t => t.Status == TrialStatus.Completed && t.Objective.HasValue && t.Trainer != EnsembleOutcome.TrainerName)
            .OrderBy(t => session.Direction.ToLoss(t.Objective!.Value)).ThenBy(t => t.Id).ToList();
        return ranked.FirstOrDefault()?.Id == best.Id ? TrialAttributes.ResultOf(ranked) ?? best : best;
    }

    /// <summary>How far past its budget a run may go to refit: the budget's 10% allowance.</summary>
    const double RefitAllowance = 0.1;

    /// <summary>
    /// The seconds a search under a <paramref name="budget"/> leaves unspent for a refit predicted to take
    /// <paramref name="refitSeconds"/>: all of them while the refit still fits the budget and its allowance, else none
    /// (time kept for a refit that cannot run anyway is better spent on trials).
    /// </summary>
    public static double RefitReserve(double budget, double elapsed, double refitSeconds) =>
        elapsed + refitSeconds <= budget * (1 + RefitAllowance) ? refitSeconds : 0;

    /// <summary>
    /// Under a time budget a refit runs only when its predicted time, each member's trial time scaled by all rows over
    /// training rows, fits in what is left of the budget and its allowance; without a budget (or with cross-validation,
    /// whose trials already fit every fold) it always runs.
    /// </summary>
    bool RefitFits(StudySession session, IReadOnlyList<TrialRecord> members, Stopwatch clock)
    {
        if (Seconds is not { } budget || session.Data.Folds.Count != 1) return true;
        return members.Sum(m => m.DurationSeconds) * RefitScale(session.Data) <= budget * (1 + RefitAllowance) - clock.Elapsed.TotalSeconds;
    }

    /// <summary>How much longer a refit takes than its trial: all rows (training plus validation) over training rows.</summary>
    public static double RefitScale(ExperimentData data) =>
        (data.TrainRows + DataPreparation.CountRows(data.Folds[0].Validation)) / (double)Math.Max(1, data.TrainRows);
}
