namespace Pipelines.Torch.Training;

/// <summary>
/// A measurement inside an epoch (<see cref="TorchTrainerOptions.CheckpointsPerEpoch"/>): the validation loss and
/// metric once a share of the epoch's examples has been trained on. The epoch's own report still comes at its end.
/// </summary>
public sealed record CheckpointReport
{
    /// <summary>The epoch the checkpoint falls in, from 1.</summary>
    public required int Epoch { get; init; }
    /// <summary>
    /// The examples seen at this checkpoint, counted from the start of the run at even spacing (epoch - 1) x rows +
    /// k x rows / checkpoints, so runs at different batch sizes report at the same counts; the step that reaches it may
    /// pass it by less than one batch.
    /// </summary>
    public required long Examples { get; init; }
    public required double ValidationLoss { get; init; }
    public required double ValidationMetric { get; init; }
}
