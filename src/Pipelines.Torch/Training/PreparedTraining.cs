using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.Training;

/// <summary>
/// A Torch trainer's input once read: rows checked, split, standardized and on the device, with the task head and
/// how to build a fresh network. <see cref="Train"/> runs the loop on it; Fit trains once and exports, the
/// batch-size sweep trains many times on the same tensors.
/// </summary>
internal sealed class PreparedTraining : IDisposable
{
    public required ColumnContract Contract { get; init; }
    public required Standardization Standardization { get; init; }
    /// <summary>Regression: the label's mean and standard deviation the network is trained on; (0, 1) otherwise.</summary>
    public (float Mean, float Scale) LabelScaling { get; init; } = (0f, 1f);
    /// <summary>Image trainers: the pixels' shape.</summary>
    public ImageShape? Shape { get; init; }
    public required TaskHead Head { get; init; }
    public required TrainingInputs.DisposableTensors Tensors { get; init; }
    public required Device Device { get; init; }
    public required int Seed { get; init; }
    public int EvaluationChunk { get; init; } = 8192;
    /// <summary>A new network, initialized from the run's generator.</summary>
    public required Func<Generator, nn.Module<Tensor, Tensor>> CreateNetwork { get; init; }
    /// <summary>The augmentation of a run (image trainers), drawing from the run's generator.</summary>
    public Func<Generator, ImageAugmentation?> CreateAugmentation { get; init; } = _ => null;

    public int TrainRows => (int)Tensors.Value.TrainFeatures.shape[0];
    public int ValidationRows => Tensors.Value.ValidationFeatures is { } v ? (int)v.shape[0] : 0;

    /// <summary>
    /// Trains a fresh network with <paramref name="options"/> (the trainer's, or a variation of them). Every run
    /// starts from the same seed: the same initial weights and the same shuffles for the same batch size.
    /// </summary>
    public (nn.Module<Tensor, Tensor> Network, TrainingReport Report) Train(TorchTrainerOptions options, IStepObserver? observer = null)
    {
        var generator = new Generator((ulong)Seed);
        var network = CreateNetwork(generator);
        network.to(Device);
        var augmentation = CreateAugmentation(generator);
        var outcome = TrainingLoop.Run(network, Head, Tensors.Value, options, Device, Seed, generator, augmentation, EvaluationChunk, observer);
        return (network, outcome.Report);
    }

    public void Dispose() => Tensors.Dispose();
}

/// <summary>A Torch trainer whose input can be prepared once and trained on many times (the batch-size sweep).</summary>
internal interface IPreparableTrainer
{
    TorchTrainerOptions Options { get; }
    PreparedTraining Prepare(IDataView input);
}
