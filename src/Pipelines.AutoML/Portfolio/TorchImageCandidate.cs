using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch;
using Pipelines.Torch.Data;
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

    public TorchImageCandidate() : base(referenceBatchSize: 64) { }

    public override string Name => "torch-cnn";

    public override bool Supports(PredictionKind task) => task == PredictionKind.MulticlassClassification;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows)
    {
        int maxBatch = MaxBatchSize(512, trainRows);
        return new SearchSpaceBuilder()
            .PowerOfTwo("batch_size", 16, maxBatch, defaultValue: Math.Min(64, maxBatch))
            .Int("epochs", 2, 30, logBase: true, defaultValue: 10)
            .Double("learning_rate", 1e-4, 1e-2, logBase: true, defaultValue: 1e-3)
            .Double("weight_decay", 1e-6, 1e-2, logBase: true, defaultValue: 1e-5)
            .PowerOfTwo("width", 16, 64, defaultValue: 32)
            .Int("depth", 1, 3, defaultValue: 2)
            .Choice("architecture", "small_cnn", "resnet")
            .Boolean("augmentation", defaultValue: false)
            .Build();
    }

    /// <summary>The trainer options a sampled parameter stands for.</summary>
    public TorchImageClassifierTrainer.Options ToOptions(Parameter p, TrialFitContext context)
    {
        bool augment = Get(p, "augmentation", false, v => v.AsBool());
        var options = new TorchImageClassifierTrainer.Options
        {
            Architecture = Get(p, "architecture", ImageArchitecture.SmallCnn, v => ParseArchitecture(v.AsString())),
            RandomCropPadding = augment ? AugmentationCropPadding : 0,
            HorizontalFlip = augment,
        };
        options.Width = Get(p, "width", options.Width, v => v.AsInt());
        options.Depth = Get(p, "depth", options.Depth, v => v.AsInt());
        options.Dropout = Get(p, "dropout", options.Dropout, v => v.AsDouble());
        return WithSharedOptions(options, p, context);
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
