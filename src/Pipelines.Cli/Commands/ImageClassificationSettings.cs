namespace Pipelines.Cli.Commands;

/// <summary>The options of `image-classification`: mlnet's (a folder instead of a file, no columns), ours, then the image ones.</summary>
internal sealed class ImageClassificationSettings : SearchSettings
{
    [CommandOption("--dataset <FOLDER>", isRequired: true)]
    [Description("The training images: a folder with one sub-folder per class, named after the class, holding its PNG or JPEG files. Without --validation-dataset, 20% of the images are held out for validation.")]
    public override string Dataset { get; init; } = "";

    [CommandOption("--validation-dataset <FOLDER>")]
    [Description("Validation images, laid out like --dataset (its classes or some of them): trials are scored on them.")]
    public override string? ValidationDataset { get; init; }

    [CommandOption("--test-dataset <FOLDER>")]
    [Description("Test images, laid out like --dataset: never used in the search, the best model is evaluated on them at the end.")]
    public override string? TestDataset { get; init; }

    [CommandOption("--trainers <LIST>")]
    [Description("Trainers to search, separated by commas: torch-cnn (TorchSharp CNN or ResNet; batch size, epochs, width, depth and augmentation tuned). torch-mlp, fasttree, fastforest, lightgbm and linear also run, on the pixels as a flat vector, as baselines. Default: torch-cnn.")]
    public override string? Trainers { get; init; }

    [CommandOption("--metric <METRIC>")]
    [Description("The validation metric to optimize: micro-accuracy (default), macro-accuracy, logloss.")]
    public override string? Metric { get; init; }

    [CommandOption("--pruner <PRUNER>")]
    [Description("How Torch trials are stopped early on their per-epoch validation metric: asha (asynchronous successive halving over epochs), none, median (Optuna's default rule), hyperband.")]
    [DefaultValue("asha")]
    public override string Pruner { get; init; } = "asha";

    [CommandOption("--batch-sizes <RANGE>")]
    [Description("Batch sizes to search for the Torch trainers, as MIN..MAX (powers of two in between) or one value. Default for torch-cnn: 16..512, capped at the training images.")]
    public override string? BatchSizes { get; init; }

    [CommandOption("--epochs <RANGE>")]
    [Description("Epochs to search for the Torch trainers, as MIN..MAX (log scale) or one value. Default for torch-cnn: 2..30.")]
    public override string? Epochs { get; init; }

    [CommandOption("--search-space <FILE>")]
    // Spectre reads descriptions as markup: [[ and ]] are literal brackets.
    [Description("A JSON file of search spaces by trainer, e.g. {\"torch-cnn\": {\"augmentation\": {\"choices\": [[false]]}, \"architecture\": {\"choices\": [[\"resnet\"]]}}}. Each parameter given replaces the trainer's default range; the others keep theirs. torch-cnn tunes batch_size, epochs, learning_rate, weight_decay, width, depth, architecture (small_cnn, resnet) and augmentation (random crop and left-right flip: right for photos and clothing, wrong for digits and text). --batch-sizes and --epochs apply on top.")]
    public override string? SearchSpace { get; init; }

    [CommandOption("--image-size <SIZE>")]
    [Description("Resize every image to WIDTHxHEIGHT pixels, e.g. 28x28 (stretched, no cropping). Without it all images must have the same size.")]
    public string? ImageSize { get; init; }

    [CommandOption("--skip-corrupt-images")]
    [Description("Leave out image files that cannot be read or decoded, and list them in a warning. Without it the first such file stops the run, named.")]
    public bool SkipCorruptImages { get; init; }

    [CommandOption("--max-image-pixels <N>")]
    [Description("The most pixels (width x height) one image may have; its size is read from the file's header before it is decoded, so an image that would not fit in memory is refused, named, at once. Default: 16777216 (4096x4096).")]
    public long? MaxImagePixels { get; init; }
}
