using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch;
using Pipelines.Torch.Data;
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
    /// <summary>What the search tunes, with each range and default stated once.</summary>
    public sealed class SearchOptions : ISharedOptions
    {
        [JsonPropertyName(BatchSizeParameter), PowerOfTwoRange(16, 1024, 32)] public int BatchSize { get; set; }
        [JsonPropertyName(EpochsParameter), Range(5, 200, 30, true)] public int Epochs { get; set; }
        [JsonPropertyName(LearningRateParameter), Range(1e-5, 1e-1, 1e-3, true)] public double LearningRate { get; set; }
        [JsonPropertyName(WeightDecayParameter), Range(1e-6, 1e-1, 1e-5, true)] public double WeightDecay { get; set; }
        [JsonPropertyName(OptimizerParameter), Choice("adam", "adamw", "sgd")] public string? Optimizer { get; set; }
        [JsonPropertyName("width"), Range(16, 1024, 64, true)] public int Width { get; set; }
        [JsonPropertyName("depth"), Range(1, 4, 2, false)] public int Depth { get; set; }
        [JsonPropertyName("dropout"), Range(0.0, 0.5, 0.0, false)] public double Dropout { get; set; }
        /// <summary>Not searched by default (a --search-space may add it): relu, gelu, tanh, silu or leakyrelu; null keeps the trainer's.</summary>
        [JsonPropertyName("activation")] public string? Activation { get; set; }
    }

    public TorchMlpCandidate() : base(referenceBatchSize: 32) { }

    public override string Name => "torch-mlp";

    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => WithBatchSizesCapped<SearchOptions>(trainRows);

    /// <summary>The trainer options a sampled parameter stands for.</summary>
    public TorchMlpTrainer.Options ToOptions(Parameter p, TrialFitContext context)
    {
        var o = Read<SearchOptions>(p);
        var options = new TorchMlpTrainer.Options { HiddenLayers = Enumerable.Repeat(o.Width, o.Depth).ToArray(), Dropout = o.Dropout };
        if (o.Activation is { } activation) options.Activation = Enum.Parse<Activation>(activation, ignoreCase: true);
        return WithSharedOptions(options, o, context);
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
