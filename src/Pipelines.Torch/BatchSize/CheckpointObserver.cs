namespace Pipelines.Torch.BatchSize;

/// <summary>
/// A sweep run's step observer: measures the validation loss before the first step, whenever the examples seen
/// have grown by the check factor, and at the run's last step; stops the run at the target loss, when its time is
/// spent, when it has passed its minimum (the examples seen grew by the plateau factor since its lowest loss), or
/// when the loss stops being finite.
/// </summary>
internal sealed class CheckpointObserver : IStepObserver
{
    readonly double? _target;
    readonly double _growth;
    readonly double? _budgetSeconds;
    readonly long _lastExamples;
    readonly double? _plateauFactor;
    long _nextCheck;
    LossCheckpoint? _lowest;

    /// <param name="target">The loss that ends the run; null for none.</param>
    /// <param name="growth">The factor of examples seen between checks.</param>
    /// <param name="budgetSeconds">The run's optimization time; null for no limit.</param>
    /// <param name="lastExamples">The examples seen at the run's planned last step, where a final check is made.</param>
    /// <param name="plateauFactor">Stop once the examples seen reach this factor times those at the lowest loss; null never.</param>
    public CheckpointObserver(double? target, double growth, double? budgetSeconds, long lastExamples, double? plateauFactor)
    {
        _target = target;
        _growth = growth;
        _budgetSeconds = budgetSeconds;
        _lastExamples = lastExamples;
        _plateauFactor = plateauFactor;
    }

    public List<LossCheckpoint> Checkpoints { get; } = new();

    public StopReason? Observe(StepProgress progress, Func<double> validationLoss)
    {
        bool spent = _budgetSeconds is { } budget && progress.OptimizationSeconds >= budget;
        if (progress.Examples >= _nextCheck || progress.Examples >= _lastExamples || spent)
        {
            double loss = validationLoss();
            Checkpoints.Add(new LossCheckpoint(progress.Steps, progress.Examples, progress.OptimizationSeconds, loss, progress.NoiseScale?.Scale));
            _nextCheck = Math.Max(progress.Examples + 1, (long)Math.Ceiling(progress.Examples * _growth));
            if (!double.IsFinite(loss)) return StopReason.Diverged;
            if (_target is { } target && loss <= target) return StopReason.TargetReached;
            if (_lowest is null || loss < _lowest.ValidationLoss) _lowest = Checkpoints[^1];
            else if (_plateauFactor is { } factor && _lowest.Examples > 0 && progress.Examples >= factor * _lowest.Examples) return StopReason.EarlyStopped;
        }
        return spent ? StopReason.BudgetSpent : null;
    }
}
