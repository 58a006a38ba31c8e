using System.ComponentModel;
using Spectre.Console.Cli;

namespace Pipelines.Cli.Commands;

/// <summary>The options of `image-classification`: mlnet's (a folder instead of a file, no columns), ours, then the image ones.</summary>
internal sealed class ImageClassificationSettings : CommandSettings, ISearchOptions
{
    [CommandOption("--dataset <FOLDER>", isRequired: true)]
    [Description("The training images: a folder with one sub-folder per class, named after the class, holding its PNG or JPEG files. Without --validation-dataset, 20% of the images are held out for validation.")]
    public string Dataset { get; init; } = "";

    [CommandOption("--validation-dataset <FOLDER>")]
    [Description("Validation images, laid out like --dataset (its classes or some of them): trials are scored on them.")]
    public string? ValidationDataset { get; init; }

    [CommandOption("--test-dataset <FOLDER>")]
    [Description("Test images, laid out like --dataset: never used in the search, the best model is evaluated on them at the end.")]
    public string? TestDataset { get; init; }

    [CommandOption("--train-time <SECONDS>")]
    [Description("Time budget of the search in seconds. Default: 1800 (as mlnet), or no time limit when only --max-trials is given. A trial still running at the end is stopped.")]
    public double? TrainTime { get; init; }

    [CommandOption("-o|--output <DIR>")]
    [Description("The output folder (created if needed). Default: ./<name>. A folder that holds another run is refused unless --force.")]
    public string? Output { get; init; }

    [CommandOption("--name <NAME>")]
    [Description("The run's name: the study's name in study.db, the default output folder and the consumption code's name. Default: SampleImageClassification.")]
    public string? Name { get; init; }

    [CommandOption("--log-file-path <PATH>")]
    [Description("Also write everything, at diagnostic level and with times, to this file (appended).")]
    public string? LogFilePath { get; init; }

    [CommandOption("-v|--verbosity <LEVEL>")]
    [Description("How much to show: q (quiet: the result only), m (minimal: progress and summary), diag (diagnostic: every epoch, stack traces).")]
    [DefaultValue("m")]
    public string Verbosity { get; init; } = "m";

    [CommandOption("--trainers <LIST>")]
    [Description("Trainers to search, separated by commas: torch-cnn (TorchSharp CNN or ResNet; batch size, epochs, width, depth and augmentation tuned). torch-mlp, fasttree, fastforest, lightgbm and linear also run, on the pixels as a flat vector, as baselines. Default: torch-cnn.")]
    public string? Trainers { get; init; }

    [CommandOption("--metric <METRIC>")]
    [Description("The validation metric to optimize: micro-accuracy (default), macro-accuracy, logloss.")]
    public string? Metric { get; init; }

    [CommandOption("--tuner <TUNER>")]
    [Description("How configurations are proposed: tpe (Tree-structured Parzen Estimator, as Optuna), random, grid, cfo (FLAML's cost-frugal local search), tpe-cost (TPE that also weighs each configuration's predicted training time).")]
    [DefaultValue("tpe")]
    public string Tuner { get; init; } = "tpe";

    [CommandOption("--pruner <PRUNER>")]
    [Description("How Torch trials are stopped early on their per-epoch validation metric: asha (asynchronous successive halving over epochs), none, median (Optuna's default rule), hyperband.")]
    [DefaultValue("asha")]
    public string Pruner { get; init; } = "asha";

    [CommandOption("--max-trials <N>")]
    [Description("Stop after this many trials (pruned and failed ones count). With --train-time, whichever comes first.")]
    public int? MaxTrials { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Trials run at the same time; each gets its share of the CPU threads.")]
    [DefaultValue(1)]
    public int Parallel { get; init; } = 1;

    [CommandOption("--seed <N>")]
    [Description("Seed of the data split, the tuner and the trainers: the same seed and options give the same search.")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Where the Torch trainers train: auto (a CUDA GPU when the build has one, else the CPU), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    [CommandOption("--batch-sizes <RANGE>")]
    [Description("Batch sizes to search for the Torch trainers, as MIN..MAX (powers of two in between) or one value. Default for torch-cnn: 16..512, capped at the training images.")]
    public string? BatchSizes { get; init; }

    [CommandOption("--epochs <RANGE>")]
    [Description("Epochs to search for the Torch trainers, as MIN..MAX (log scale) or one value. Default for torch-cnn: 2..30.")]
    public string? Epochs { get; init; }

    [CommandOption("--search-space <FILE>")]
    // Spectre reads descriptions as markup: [[ and ]] are literal brackets.
    [Description("A JSON file of search spaces by trainer, e.g. {\"torch-cnn\": {\"augmentation\": {\"choices\": [[false]]}, \"architecture\": {\"choices\": [[\"resnet\"]]}}}. Each parameter given replaces the trainer's default range; the others keep theirs. torch-cnn tunes batch_size, epochs, learning_rate, weight_decay, width, depth, architecture (small_cnn, resnet) and augmentation (random crop and left-right flip: right for photos and clothing, wrong for digits and text). --batch-sizes and --epochs apply on top.")]
    public string? SearchSpace { get; init; }

    [CommandOption("--gap-penalty <LAMBDA>")]
    [Description("Optimize the metric minus LAMBDA x max(0, generalization gap) (plus, for losses), to prefer models that generalize. 0 turns it off.")]
    [DefaultValue(0.0)]
    public double GapPenalty { get; init; }

    [CommandOption("--force")]
    [Description("Replace a run already in the output folder (its files are deleted first).")]
    public bool Force { get; init; }

    [CommandOption("--image-size <SIZE>")]
    [Description("Resize every image to WIDTHxHEIGHT pixels, e.g. 28x28 (stretched, no cropping). Without it all images must have the same size.")]
    public string? ImageSize { get; init; }

    [CommandOption("--skip-corrupt-images")]
    [Description("Leave out image files that cannot be read or decoded, and list them in a warning. Without it the first such file stops the run, named.")]
    public bool SkipCorruptImages { get; init; }
}
