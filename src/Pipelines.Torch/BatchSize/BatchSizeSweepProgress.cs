namespace Pipelines.Torch.BatchSize;

/// <summary>What a sweep reports while it runs: a run starting (no epoch, not finished), one of its epochs, or its end.</summary>
/// <param name="Run">1-based number of the run.</param>
/// <param name="Runs">Runs in the sweep.</param>
/// <param name="BatchSize">The run's batch size.</param>
/// <param name="LearningRate">The run's learning rate (scaled for its batch size).</param>
/// <param name="Epoch">The epoch just trained, when this is an epoch report.</param>
/// <param name="Finished">The run, when it has ended.</param>
public sealed record BatchSizeSweepProgress(int Run, int Runs, int BatchSize, double LearningRate, EpochReport? Epoch = null, BatchSizeRun? Finished = null);
