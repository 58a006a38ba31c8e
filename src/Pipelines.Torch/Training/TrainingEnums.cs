namespace Pipelines.Torch.Training;

/// <summary>The optimizer that updates the weights.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with momentum (<see cref="TorchTrainerOptions.Momentum"/>), optionally Nesterov.</summary>
    Sgd,
    /// <summary>Adam; weight decay is an L2 term in the gradient.</summary>
    Adam,
    /// <summary>AdamW; weight decay is decoupled from the gradient.</summary>
    AdamW,
}

/// <summary>How the learning rate changes over training (after any warm-up).</summary>
public enum LearningRateSchedule
{
    Constant,
    /// <summary>Multiplied by <see cref="TorchTrainerOptions.StepGamma"/> every <see cref="TorchTrainerOptions.StepEpochs"/> epochs.</summary>
    Step,
    /// <summary>Cosine annealing from the rate to <see cref="TorchTrainerOptions.MinLearningRate"/> over all epochs.</summary>
    Cosine,
    /// <summary>Smith's one-cycle policy: up from rate/25 to the rate over the first 30% of steps, then cosine down to rate/1e4.</summary>
    OneCycle,
}

/// <summary>How the learning rate follows the batch size, relative to <see cref="TorchTrainerOptions.ReferenceBatchSize"/>.</summary>
public enum LearningRateScaling
{
    /// <summary>The rate is used as given.</summary>
    None,
    /// <summary>Goyal et al. 2017: rate x (batch / reference). Suits SGD; pair with warm-up for large batches.</summary>
    Linear,
    /// <summary>Hoffer et al. 2017, Malladi et al. 2022: rate x sqrt(batch / reference). Suits adaptive optimizers.</summary>
    SquareRoot,
}

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>All requested epochs ran.</summary>
    Completed,
    /// <summary>The validation loss stopped improving for <see cref="TorchTrainerOptions.EarlyStoppingPatience"/> epochs.</summary>
    EarlyStopped,
    /// <summary>The loss became NaN or infinite.</summary>
    Diverged,
    /// <summary>The cancellation token was signalled.</summary>
    Cancelled,
    /// <summary>The validation loss reached the target of a batch-size sweep (<see cref="Pipelines.Torch.BatchSize.BatchSizeSweep"/>).</summary>
    TargetReached,
    /// <summary>The time a batch-size sweep gave the run was spent before its target was reached.</summary>
    BudgetSpent,
}
