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

        void Report(Func<bool> prune)
        {
            // A trial pruned inside an epoch still reports that partial epoch: it is not a step of its curve.
            if (pruned) return;
            try
            {
                pruned |= prune();
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
        bool examples = session.Fidelity == PruningFidelity.Examples;
        void OnEpoch(EpochReport epoch) => Report(() => ReportEpoch(session, trial.Id, epoch, examples));
        void OnCheckpoint(CheckpointReport checkpoint) => Report(() =>
            Record(session, trial.Id, Step(checkpoint.Examples), Value(session.Data, checkpoint.ValidationMetric, checkpoint.ValidationLoss)) is { } record &&
            session.Pruner.ShouldPrune(record, session.Trials.Read(), session.Direction));

        var outcome = TrialRunner.Run(candidate, trial.Parameters[OneOfSpace.ParametersKey], session.Data, seed, session.Threads,
            session.GapPenalty, candidate.TrainsInEpochs ? OnEpoch : null, () => pruned, trialCts.Token,
            candidate.TrainsInEpochs && examples ? OnCheckpoint : null);
        storageFault?.Throw();
        if (outcome.Status == TrialStatus.Failed && budget.IsCancellationRequested && TrialRunner.IsStop(outcome.Exception))
            outcome = outcome with { Error = caller.IsCancellationRequested ? IStudyStorage.CancelledError : IStudyStorage.BudgetError };
        return (outcome, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Records an epoch's value in the study at step epoch (or, pruning on examples, at the examples seen by its end),
    /// tells the monitor, and returns whether the pruner stops the trial.
    /// </summary>
    static bool ReportEpoch(StudySession session, int trialId, EpochReport epoch, bool examples)
    {
        int step = examples ? Step(epoch.Examples) : epoch.Epoch;
        if (Record(session, trialId, step, Value(session.Data, epoch.ValidationMetric, epoch.ValidationLoss)) is not { } record) return false;
        session.Monitor.ReportEpoch(record, epoch);
        // A trial at its last epoch is finished, not prunable: nothing is saved by stopping it now.
        return epoch.Epoch < epoch.PlannedEpochs && session.Pruner.ShouldPrune(record, session.Trials.Read(), session.Direction);
    }

    /// <summary>Writes an intermediate value and returns the trial as it now stands; null when there is no value to write.</summary>
    static TrialRecord? Record(StudySession session, int trialId, int step, double? value)
    {
        if (value == null) return null;
        session.Storage.ReportIntermediate(trialId, step, value.Value);
        return session.Storage.GetTrial(trialId);
    }

    /// <summary>A count of examples as a step number (a study's steps are 32-bit, as Optuna's).</summary>
    static int Step(long examples) => examples <= int.MaxValue ? (int)examples
        : throw new InvalidOperationException($"{examples} examples do not fit a step number: prune on epochs (PruningFidelity.Epochs) for a run this long.");

    /// <summary>
    /// The value pruners compare: the Torch trainer's validation metric (accuracy or R^2) when the experiment maximizes,
    /// its validation loss (RMSE for RMSE) when it minimizes, so the value moves in the experiment's direction.
    /// </summary>
    static double? Value(ExperimentData data, double? metric, double? loss)
    {
        if (data.Direction == OptimizationDirection.Maximize) return metric;
        if (loss is not { } l) return null;
        return data.Metric == "RootMeanSquaredError" ? Math.Sqrt(l) : l;
    }
}
