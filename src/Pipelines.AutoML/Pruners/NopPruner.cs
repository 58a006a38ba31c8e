namespace Pipelines.AutoML.Pruners;

/// <summary>
/// Never prunes: the explicit choice of no pruning, so every trial trains for all its epochs. Trials whose loss
/// diverges are still stopped by the training loop, not by this pruner.
/// </summary>
public sealed class NopPruner : IPruner
{
    public bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> trials, OptimizationDirection direction) => false;
}
