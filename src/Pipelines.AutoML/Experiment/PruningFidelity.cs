namespace Pipelines.AutoML.Experiment;

/// <summary>
/// What the steps of a Torch trial's intermediate values count, the steps at which pruners compare trials. An epoch
/// is the same number of examples at every batch size, so both compare trials at equal work; examples also lets a
/// pruner stop a trial inside its first epoch.
/// </summary>
public enum PruningFidelity
{
    /// <summary>One value per epoch, at step 1, 2, 3, ...</summary>
    Epochs,

    /// <summary>
    /// <see cref="ExamplesFidelity.CheckpointsPerEpoch"/> values per epoch, each at the number of training examples seen
    /// so far (a quarter of the training rows apart), the same counts for every batch size.
    /// </summary>
    Examples,
}

/// <summary>How finely <see cref="PruningFidelity.Examples"/> measures.</summary>
public static class ExamplesFidelity
{
    /// <summary>Validation measurements per epoch: three inside it and one at its end.</summary>
    public const int CheckpointsPerEpoch = 4;
}
