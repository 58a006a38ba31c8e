namespace Pipelines.Torch.Training;

/// <summary>
/// A measurement inside an epoch (<see cref="TorchTrainerOptions.CheckpointsPerEpoch"/>): the validation loss and
/// metric once a share of the epoch's examples has been trained on. The epoch's own report still comes at its end.
/// </summary>
/// <param name="Epoch">The epoch the checkpoint falls in, from 1.</param>
/// <param name="Examples">
/// The examples seen at this checkpoint, counted from the start of the run at even spacing, (epoch - 1) x rows + k x
/// rows / checkpoints, so runs at different batch sizes report at the same counts; the step that reaches it may pass
/// it by less than one batch.
/// </param>
/// <param name="ValidationLoss">The validation loss there.</param>
/// <param name="ValidationMetric">The validation metric there (the trainer's: accuracy, R^2).</param>
public sealed record CheckpointReport(int Epoch, long Examples, double ValidationLoss, double ValidationMetric);
