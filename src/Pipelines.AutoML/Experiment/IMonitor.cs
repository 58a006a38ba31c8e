using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Experiment;

/// <summary>
/// Progress of an experiment, as Microsoft's AutoML IMonitor, plus epochs and pruning. Every method has an empty
/// default, so a monitor implements only what it shows. Calls come from trial threads: implementations must be
/// thread-safe.
/// </summary>
public interface IMonitor
{
    void ReportRunningTrial(TrialRecord trial) { }
    /// <summary>A trial finished an epoch; <paramref name="trial"/> holds its curve so far.</summary>
    void ReportEpoch(TrialRecord trial, EpochReport epoch) { }
    void ReportCompletedTrial(TrialRecord trial) { }
    void ReportPrunedTrial(TrialRecord trial) { }
    void ReportFailTrial(TrialRecord trial, Exception? exception) { }
    void ReportBestTrial(TrialRecord trial) { }
}
