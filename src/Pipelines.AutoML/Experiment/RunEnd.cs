using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Pipelines.AutoML.Storage;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// The end of a run: the result from the trials it has, the best model (an ensemble when it wins, a refit when asked)
/// and every trial. After a storage fault the trials are those this run knows, no ensemble is built (it would be
/// written to the study), and the result carries the fault; with no model at all the fault itself is thrown.
/// </summary>
internal sealed record RunEnd(MLContext Ml, DatasetPlan Data, IEstimator<ITransformer>? Featurizer, int Seed, double? Seconds, bool Ensemble, bool Refit)
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
        return new ExperimentResult
        {
            Best = ensemble is { Record: { } record, Model: { } model } ? final.ForEnsemble(record, model) : final.Build(best, tell, Refit),
            Trials = storageFault == null ? session.Storage.GetTrials(session.StudyName) : trials,
            Study = study,
            Metric = session.Data.Metric,
            Direction = session.Direction,
            Elapsed = clock.Elapsed,
            Ensemble = ensemble?.Outcome,
            StorageFault = storageFault,
        };
    }
}
