using System.Text.Json.Serialization;
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
    /// <summary>
    /// What the search tunes. The defaults (the first trial) are a network that does well on tables: AdamW at 2e-3 for
    /// batches of 64 (the rate follows the batch size by Adam's square-root rule), two layers of 128 with a little
    /// dropout and weight decay, up to 60 epochs with early stopping. Rates outside 1e-4 to 1e-2 do not train an Adam
    /// MLP on standardized features, so the range leaves them out.
    /// </summary>
    public sealed class SearchOptions : ISharedOptions
    {
        [JsonPropertyName(BatchSizeParameter), PowerOfTwoRange(16, 1024, 64)] public int? BatchSize { get; set; }
        [JsonPropertyName(EpochsParameter), Range(5, 200, 60, true)] public int? Epochs { get; set; }
        [JsonPropertyName(LearningRateParameter), Range(1e-4, 1e-2, 2e-3, true)] public double? LearningRate { get; set; }
        [JsonPropertyName(WeightDecayParameter), Range(1e-6, 1e-2, 1e-4, true)] public double? WeightDecay { get; set; }
        [JsonPropertyName(OptimizerParameter), Choice("adamw", "adam", "sgd")] public string? Optimizer { get; set; }
        [JsonPropertyName("width"), Range(16, 1024, 128, true)] public int? Width { get; set; }
        [JsonPropertyName("depth"), Range(1, 4, 2, false)] public int? Depth { get; set; }
        [JsonPropertyName("dropout"), Range(0.0, 0.5, 0.1, false)] public double? Dropout { get; set; }
        /// <summary>Not searched by default (a --search-space may add it): relu, gelu, tanh, silu or leakyrelu.</summary>
        [JsonPropertyName("activation")] public string? Activation { get; set; }
    }

    public TorchMlpCandidate() : base(referenceBatchSize: 64) { }

    public override string Name => "torch-mlp";

    public override double RelativeCost(PredictionKind task) => 10;

    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => WithBatchSizesCapped<SearchOptions>(trainRows);

    /// <summary>The trainer options a sampled parameter stands for.</summary>
    public TorchMlpTrainer.Options ToOptions(Parameter p, TrialFitContext context)
    {
        var o = Read<SearchOptions>(p);
        var options = new TorchMlpTrainer.Options();
        if (o.Width != null || o.Depth != null)
            options.HiddenLayers = Enumerable.Repeat(o.Width ?? options.HiddenLayers[0], o.Depth ?? options.HiddenLayers.Length).ToArray();
        if (o.Dropout is { } dropout) options.Dropout = dropout;
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
