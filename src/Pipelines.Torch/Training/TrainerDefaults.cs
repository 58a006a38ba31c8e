namespace Pipelines.Torch.Training;

/// <summary>
/// The Torch trainers' default training length and step, stated once: the options classes start from them and the
/// catalog's one-line overloads (<see cref="TorchCatalog"/>) take them as their parameters' defaults.
/// </summary>
internal static class TrainerDefaults
{
    public const int BatchSize = 32;
    public const int Epochs = 50;
    public const double LearningRate = 1e-3;
    public const int ImageBatchSize = 64;
    public const int ImageEpochs = 10;
}
