using System.Text.Json.Serialization;
using Pipelines.Torch;
using Pipelines.Torch.Networks;
using Pipelines.Torch.Trainers;

namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// The TorchSharp image classifier (multiclass only). Its features are the pixels as a Single vector with image
/// dimensions (channels, height, width), as ImageFolder or ExtractPixels make them, and its label a key. The space
/// tunes batch size and epochs with learning rate, weight decay, network (small CNN or ResNet, width, depth) and
/// augmentation; see <see cref="TorchCandidate"/> for learning-rate scaling.
/// </summary>
/// <remarks>
/// Augmentation on means a random crop after 2 pixels of padding and a left-right flip. Flips suit natural images
/// and clothing, but not digits or text (a flipped 3 is no digit): for such data narrow the space to
/// <c>"augmentation": {"choices": [false]}</c>, or replace it with <c>SetSearchSpace("torch-cnn", ...)</c>.
/// </remarks>
public sealed class TorchImageCandidate : TorchCandidate
{
    /// <summary>The padding of the random crop when augmentation is on: small enough to keep the object in the frame of a 28x28 image.</summary>
    public const int AugmentationCropPadding = 2;

    /// <summary>What the search tunes, with each range and default stated once.</summary>
    public sealed class SearchOptions : ISharedOptions
    {
        [JsonPropertyName(BatchSizeParameter), PowerOfTwoRange(16, 512, 64)] public int? BatchSize { get; set; }
        [JsonPropertyName(EpochsParameter), Range(2, 30, 10, true)] public int? Epochs { get; set; }
        [JsonPropertyName(LearningRateParameter), Range(1e-4, 1e-2, 1e-3, true)] public double? LearningRate { get; set; }
        [JsonPropertyName(WeightDecayParameter), Range(1e-6, 1e-2, 1e-5, true)] public double? WeightDecay { get; set; }
        [JsonPropertyName("width"), PowerOfTwoRange(16, 64, 32)] public int? Width { get; set; }
        [JsonPropertyName("depth"), Range(1, 3, 2, false)] public int? Depth { get; set; }
        [JsonPropertyName("architecture"), Choice("small_cnn", "resnet")] public string? Architecture { get; set; }
        [JsonPropertyName("augmentation"), BooleanChoice(false)] public bool? Augmentation { get; set; }
        /// <summary>Not searched by default (a --search-space may add them); null keeps the trainer's.</summary>
        [JsonPropertyName(OptimizerParameter)] public string? Optimizer { get; set; }
        [JsonPropertyName("dropout")] public double? Dropout { get; set; }
    }

    public TorchImageCandidate() : base(referenceBatchSize: 64) { }

    public override string Name => "torch-cnn";

    public override double RelativeCost(PredictionKind task) => 20;

    public override bool Supports(PredictionKind task) => task == PredictionKind.MulticlassClassification;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => WithBatchSizesCapped<SearchOptions>(trainRows);

    /// <summary>The trainer options a sampled parameter stands for.</summary>
    public TorchImageClassifierTrainer.Options ToOptions(Parameter p, TrialFitContext context)
    {
        var o = Read<SearchOptions>(p);
        bool augment = o.Augmentation ?? false;
        var options = new TorchImageClassifierTrainer.Options { RandomCropPadding = augment ? AugmentationCropPadding : 0, HorizontalFlip = augment };
        if (o.Architecture is { } architecture) options.Architecture = ParseArchitecture(architecture);
        if (o.Width is { } width) options.Width = width;
        if (o.Depth is { } depth) options.Depth = depth;
        if (o.Dropout is { } dropout) options.Dropout = dropout;
        return WithSharedOptions(options, o, context);
    }

    public override TrialFit Fit(TrialFitContext context, Parameter parameters)
    {
        if (context.Task != PredictionKind.MulticlassClassification)
            throw new ArgumentException($"{Name} classifies images into classes (multiclass); it cannot do {context.Task}.");
        var model = context.MLContext.MulticlassClassification.Trainers.TorchImageClassifier(ToOptions(parameters, context)).Fit(context.Train);
        return new TrialFit(model, model.TrainingReport);
    }

    static ImageArchitecture ParseArchitecture(string name) => name.ToLowerInvariant() switch
    {
        "small_cnn" or "smallcnn" => ImageArchitecture.SmallCnn,
        "resnet" => ImageArchitecture.ResNet,
        _ => throw new ArgumentException($"Unknown architecture '{name}': expected small_cnn or resnet."),
    };
}
