using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Trainers;

namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// The TorchSharp MLP. Its space tunes batch size (powers of two, capped at the training rows) and epochs together
/// with learning rate, weight decay, optimizer and architecture; see <see cref="TorchCandidate"/> for learning-rate
/// scaling.
/// </summary>
public sealed class TorchMlpCandidate : TorchCandidate
{
    public TorchMlpCandidate() : base(referenceBatchSize: 32) { }

    public override string Name => "torch-mlp";

    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows)
    {
        int maxBatch = MaxBatchSize(1024, trainRows);
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
        return WithSharedOptions(new TorchMlpTrainer.Options
        {
            Epochs = 30,
            HiddenLayers = Enumerable.Repeat(width, depth).ToArray(),
            Dropout = Get(p, "dropout", 0.0, v => v.AsDouble()),
            Activation = Get(p, "activation", Activation.ReLU, v => Enum.Parse<Activation>(v.AsString(), ignoreCase: true)),
        }, p, context);
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
}
