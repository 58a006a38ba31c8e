using System.Diagnostics;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Trials;
using Pipelines.Torch.Training;

namespace Pipelines.Cli.Display;

/// <summary>
/// The experiment's monitor: keeps the state the live display draws (every trial's latest record, the running ones
/// with their last epoch, the best) and passes each event on to the listeners (progress lines, log). Called from
/// trial threads, so every access is under one lock.
/// </summary>
internal sealed class RunProgress : IMonitor
{
    const int LeaderCount = 10;

    readonly object _gate = new();
    readonly Dictionary<int, TrialRecord> _trials = new();
    readonly Dictionary<int, EpochReport> _lastEpoch = new();
    readonly HashSet<int> _running = new();
    readonly List<IMonitor> _listeners = new();
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly OptimizationDirection _direction;
    readonly RunBudget _budget;
    int _started;
    int? _bestId;

    public RunProgress(OptimizationDirection direction, RunBudget budget, IEnumerable<TrialRecord> earlierTrials)
    {
        _direction = direction;
        _budget = budget;
        foreach (var trial in earlierTrials) _trials[trial.Id] = trial;
        _bestId = TrialRanking.Rank(_trials.Values, direction).FirstOrDefault(t => t.Status == TrialStatus.Completed)?.Id;
    }

    /// <summary>Adds a monitor that receives every event after the state is updated; call before the run starts.</summary>
    public void Listen(IMonitor listener) => _listeners.Add(listener);

    public int RunningCount
    {
        get { lock (_gate) return _running.Count; }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public void ReportRunningTrial(TrialRecord trial)
    {
        lock (_gate)
        {
            _trials[trial.Id] = trial;
            _running.Add(trial.Id);
            _started++;
        }
        foreach (var listener in _listeners) listener.ReportRunningTrial(trial);
    }

    public void ReportEpoch(TrialRecord trial, EpochReport epoch)
    {
        lock (_gate)
        {
            _trials[trial.Id] = trial;
            _lastEpoch[trial.Id] = epoch;
        }
        foreach (var listener in _listeners) listener.ReportEpoch(trial, epoch);
    }

    public void ReportCompletedTrial(TrialRecord trial)
    {
        Finished(trial);
        foreach (var listener in _listeners) listener.ReportCompletedTrial(trial);
    }

    public void ReportPrunedTrial(TrialRecord trial)
    {
        Finished(trial);
        foreach (var listener in _listeners) listener.ReportPrunedTrial(trial);
    }

    public void ReportFailTrial(TrialRecord trial, Exception? exception)
    {
        Finished(trial);
        foreach (var listener in _listeners) listener.ReportFailTrial(trial, exception);
    }

    public void ReportBestTrial(TrialRecord trial)
    {
        lock (_gate) _bestId = trial.Id;
        foreach (var listener in _listeners) listener.ReportBestTrial(trial);
    }

    public ProgressSnapshot Snapshot()
    {
        lock (_gate)
        {
            var elapsed = _clock.Elapsed;
            return new ProgressSnapshot
            {
                Elapsed = elapsed,
                Remaining = _budget.Seconds is { } seconds ? TimeSpan.FromSeconds(Math.Max(0, seconds - elapsed.TotalSeconds)) : null,
                StartedThisRun = _started,
                TrialBudget = _budget.Trials,
                StatusCounts = _trials.Values.Select(t => TrialRow.From(t).Status).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count()),
                Running = _running.OrderBy(id => id).Select(id =>
                {
                    _lastEpoch.TryGetValue(id, out var epoch);
                    return (TrialRow.From(_trials[id], epoch?.Epoch), epoch?.Epoch, epoch?.PlannedEpochs, epoch?.ValidationMetric);
                }).ToList(),
                Leaders = TrialRanking.Rank(_trials.Values.Where(t => t.IsFinished), _direction).Take(LeaderCount).Select(t => TrialRow.From(t)).ToList(),
                BestId = _bestId,
            };
        }
    }

    void Finished(TrialRecord trial)
    {
        lock (_gate)
        {
            _trials[trial.Id] = trial;
            _running.Remove(trial.Id);
            _lastEpoch.Remove(trial.Id);
        }
    }
}
