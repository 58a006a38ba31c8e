namespace Pipelines.Torch.BatchSize;

/// <summary>How a batch-size sweep sets the learning rate at each batch size.</summary>
public enum LearningRateSelection
{
    /// <summary>
    /// The trainer's learning rate at its reference batch size, scaled by the optimizer's rule: linear for SGD (Goyal
    /// et al. 2017), square root for Adam and AdamW (Malladi et al. 2022), or the trainer's own scaling when it sets one.
    /// One run per batch size.
    /// </summary>
    ScalingRule,
    /// <summary>
    /// A short search: the scaling rule's rate times each of <see cref="BatchSizeSweepOptions.LearningRateFactors"/>,
    /// one run each; the rate that reaches the target in the fewest steps is the batch size's (as McCandlish et al.
    /// tune the rate per batch size).
    /// </summary>
    Search,
    /// <summary>The trainer's learning rate at every batch size, unscaled (Keskar et al. 2017's comparison of small and large batches).</summary>
    Fixed,
}
