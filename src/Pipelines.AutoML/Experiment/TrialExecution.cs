using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Pipelines.AutoML.Storage;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Runs one trial that the loop has created and the tuner has filled in: keeps its heartbeat, reports each epoch to
/// the study and the monitor, asks the pruner after each epoch, and fits through <see cref="TrialRunner"/>. A trial
/// cut off by the budget or by the caller is told apart from one that failed on its own. A storage fault while it runs
/// is thrown, never recorded as the trial's failure.
/// </summary>
internal static class TrialExecution
{
    public static (TrialOutcome Outcome, double Seconds) Run(StudySession session, TrialRecord trial, int seed,
        CancellationToken budget, CancellationToken caller)
    {
        var candidate = session.Trainer(trial.Trainer!);
        using var trialCts = CancellationTokenSource.CreateLinkedTokenSource(budget);
        bool pruned = false;
        ExceptionDispatchInfo? storageFault = null;
        var watch = Stopwatch.StartNew();
        session.Monitor.ReportRunningTrial(trial);
        using var heartbeat = new TrialHeartbeat(session.Storage, trial.Id, session.HeartbeatInterval);

        void OnEpoch(EpochReport epoch)
        {
            try
            {
                pruned |= ReportEpoch(session, trial.Id, epoch);
            }
            catch (Exception e) when (StudyStorageException.IsStorageFault(e))
            {
                // The trainer would turn this into the trial's failure: it is kept aside and thrown once the fit stops.
                storageFault = ExceptionDispatchInfo.Capture(e);
                trialCts.Cancel();
                throw;
            }
            if (pruned) trialCts.Cancel();
        }

        var outcome = TrialRunner.Run(candidate, trial.Parameters[OneOfSpace.ParametersKey], session.Data, seed, session.Threads,
            session.GapPenalty, candidate.TrainsInEpochs ? OnEpoch : null, () => pruned, trialCts.Token);
        storageFault?.Throw();
        if (outcome.Status == TrialStatus.Failed && budget.IsCancellationRequested && TrialRunner.IsStop(outcome.Exception))
            outcome = outcome with { Error = caller.IsCancellationRequested ? IStudyStorage.CancelledError : IStudyStorage.BudgetError };
        return (outcome, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Records an epoch's value in the study, tells the monitor, and returns whether the pruner stops the trial.</summary>
    static bool ReportEpoch(StudySession session, int trialId, EpochReport epoch)
    {
        var storage = session.Storage;
        double? value = IntermediateValue(epoch, session.Data);
        if (value == null) return false;
        storage.ReportIntermediate(trialId, epoch.Epoch, value.Value);
        var record = storage.GetTrial(trialId);
        session.Monitor.ReportEpoch(record, epoch);
        // A trial at its last epoch is finished, not prunable: nothing is saved by stopping it now.
        return epoch.Epoch < epoch.PlannedEpochs && session.Pruner.ShouldPrune(record, session.Trials.Read(), session.Direction);
    }

    /// <summary>
    /// The per-epoch value pruners compare: the Torch trainer's validation metric (accuracy or R^2) when the experiment
    /// maximizes, its validation loss (RMSE for RMSE) when it minimizes, so the value moves in the experiment's direction.
    /// </summary>
    static double? IntermediateValue(EpochReport epoch, ExperimentData data)
    {
        if (data.Direction == OptimizationDirection.Maximize) return epoch.ValidationMetric;
        if (epoch.ValidationLoss is not { } loss) return null;
        return data.Metric == "RootMeanSquaredError" ? Math.Sqrt(loss) : loss;
    }
}
