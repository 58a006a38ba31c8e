using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Torch.Trainers;

/// <summary>
/// What the Torch trainers share as ML.NET estimators: options checked once when the trainer is made, the output
/// schema of their task, and the start of every run (the seed, the device, the threads). Each trainer prepares its
/// own input and network.
/// </summary>
public abstract class TorchTrainer<TOptions, TModel> : IEstimator<TModel>, IPreparableTrainer
    where TOptions : TorchTrainerOptions
    where TModel : class, ITransformer
{
    private protected TorchTrainer(PredictionKind kind, TOptions options, MLContextSettings context)
    {
        options.Validate();
        (Kind, TrainerOptions, Context) = (kind, options, context);
    }

    /// <summary>The task this trainer serves.</summary>
    public PredictionKind Kind { get; }

    private protected TOptions TrainerOptions { get; }
    private protected MLContextSettings Context { get; }

    public abstract TModel Fit(IDataView input);

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        OutputSchema.For(inputSchema, Kind, TrainerOptions.FeatureColumnName, TrainerOptions.LabelColumnName);

    TorchTrainerOptions IPreparableTrainer.Options => TrainerOptions;

    PreparedTraining IPreparableTrainer.Prepare(IDataView input) => Prepare(input);

    /// <summary>Reads, checks, splits and standardizes the input into tensors on the device.</summary>
    private protected abstract PreparedTraining Prepare(IDataView input);

    /// <summary>A run's seed (the options', else one drawn from the MLContext) and device, with LibTorch loaded and its threads set.</summary>
    private protected (int Seed, Device Device) StartRun()
    {
        TorchRuntime.EnsureInitialized();
        var o = TrainerOptions;
        int seed = o.Seed ?? Context.DrawSeed();
        var device = TorchRuntime.ResolveDevice(o.Device, Context.GpuDeviceId, Context.FallbackToCpu);
        if (o.NumberOfThreads is { } threads) torch.set_num_threads(threads);
        return (seed, device);
    }
}
