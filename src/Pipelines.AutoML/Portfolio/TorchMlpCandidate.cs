using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// The TorchSharp MLP. Its space tunes batch size (powers of two, capped at the training rows) and epochs together
/// with learning rate, weight decay, optimizer and architecture. With <see cref="LearningRateScaling"/> set, the
/// searched learning rate is the rate at <see cref="ReferenceBatchSize"/> and the trainer scales it to each trial's
/// batch size; the training report shows both.
/// </summary>
public sealed class TorchMlpCandidate : TrainerCandidate
{
    public override string Name => "torch-mlp";
    public override bool TrainsInEpochs => true;

    public LearningRateScaling LearningRateScaling { get; init; } = LearningRateScaling.None;
    public int ReferenceBatchSize { get; init; } = 32;
    /// <summary>Epochs without validation improvement before a trial stops by itself (0: off).</summary>
    public int EarlyStoppingPatience { get; init; }
    public string Device { get; init; } = "auto";

    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows)
    {
        int maxBatch = 1024;
        while (maxBatch > 16 && maxBatch > trainRows) maxBatch /= 2;
        return new SearchSpaceBuilder()
            .PowerOfTwo("batch_size", 16, maxBatch, defaultValue: Math.Min(32, maxBatch))
            .Int("epochs", 5, 200, logBase: true, defaultValue: 30)
            .Double("learning_rate", 1e-5, 1e-1, logBase: true, defaultValue: 1e-3)
            .Double("weight_decay", 1e-6, 1e-1, logBase: true, defaultValue: 1e-5)
            .Choice("optimizer", "adam", "adamw", "sgd")
            .Int("width", 16, 1024, logBase: true, defaultValue: 64)
            .Int("depth", 1, 4, defaultValue: 2)
            .Double("dropout", 0, 0.5, defaultValue: 0)
            .Build();
    }

    /// <summary>The trainer options a sampled parameter stands for.</summary>
    public TorchMlpTrainer.Options ToOptions(Parameter p, TrialFitContext context)
    {
        int width = Get(p, "width", 64, v => v.AsInt());
        int depth = Get(p, "depth", 2, v => v.AsInt());
        return new TorchMlpTrainer.Options
        {
            LabelColumnName = context.LabelColumnName,
            FeatureColumnName = context.FeatureColumnName,
            BatchSize = Get(p, "batch_size", 32, v => v.AsInt()),
            Epochs = Get(p, "epochs", 30, v => v.AsInt()),
            LearningRate = Get(p, "learning_rate", 1e-3, v => v.AsDouble()),
            WeightDecay = Get(p, "weight_decay", 0.0, v => v.AsDouble()),
            Optimizer = Get(p, "optimizer", OptimizerKind.Adam, v => ParseOptimizer(v.AsString())),
            HiddenLayers = Enumerable.Repeat(width, depth).ToArray(),
            Dropout = Get(p, "dropout", 0.0, v => v.AsDouble()),
            Activation = Get(p, "activation", Activation.ReLU, v => Enum.Parse<Activation>(v.AsString(), ignoreCase: true)),
            LearningRateScaling = LearningRateScaling,
            ReferenceBatchSize = ReferenceBatchSize,
            EarlyStoppingPatience = EarlyStoppingPatience,
            ValidationSet = context.Validation,
            ValidationFraction = context.Validation == null ? 0.1 : 0,
            Seed = context.Seed,
            Device = Device,
            NumberOfThreads = context.Threads,
            Progress = context.OnEpoch == null ? null : new CallbackProgress(context.OnEpoch),
            CancellationToken = context.CancellationToken,
        };
    }

    public override TrialFit Fit(TrialFitContext context, Parameter parameters)
    {
        var options = ToOptions(parameters, context);
        var catalog = context.MLContext;
        TorchMlpModel model = context.Task switch
        {
            PredictionKind.BinaryClassification => catalog.BinaryClassification.Trainers.TorchMlp(options).Fit(context.Train),
            PredictionKind.MulticlassClassification => catalog.MulticlassClassification.Trainers.TorchMlp(options).Fit(context.Train),
            _ => catalog.Regression.Trainers.TorchMlp(options).Fit(context.Train),
        };
        return new TrialFit(model, model.TrainingReport);
    }

    static OptimizerKind ParseOptimizer(string name) => name.ToLowerInvariant() switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        _ => throw new ArgumentException($"Unknown optimizer '{name}': expected adam, adamw or sgd."),
    };

    /// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class CallbackProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
