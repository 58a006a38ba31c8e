namespace Pipelines.Cli.Commands;

/// <summary>The options of `batch-size`: the data as the search commands take it, then the sweep's.</summary>
internal sealed class BatchSizeSettings : CommonSettings
{
    public const string DefaultName = "SampleBatchSize";

    [CommandOption("--dataset <PATH>", isRequired: true)]
    [Description("The training data: a CSV or TSV file (with --label-col), or a folder of images with one sub-folder per class. Without --validation-dataset, 20% of it is held out: the sweep trains to a validation loss.")]
    public string Dataset { get; init; } = "";

    [CommandOption("--label-col <NAME>")]
    [Description("For a data file: the column to predict, by name or 0-based index. Its values decide the task: two values binary, a few classes multiclass, numbers with fractions regression.")]
    public string? LabelColumn { get; init; }

    [CommandOption("--validation-dataset <PATH>")]
    [Description("Validation rows (a file with --dataset's columns, or an image folder laid out like it): every run's validation loss is measured on them.")]
    public string? ValidationDataset { get; init; }

    [CommandOption("--has-header <BOOL>")]
    [Description("For a data file: true or false, whether the first line holds column names. Detected when not given.")]
    public string? HasHeader { get; init; }

    [CommandOption("--ignore-cols <COLUMNS>")]
    [Description("For a data file: columns to leave out of the features, separated by commas.")]
    public string? IgnoreColumns { get; init; }

    [CommandOption("-o|--output <DIR>")]
    [Description("Where batch-size.csv, batch-size.json, report.html and plots/ go (created if needed). Default: ./SampleBatchSize. A folder that holds another sweep or a search run is refused unless --force.")]
    public string? Output { get; init; }

    [CommandOption("--batch-sizes <RANGE>")]
    [Description("The batch sizes to train at: MIN..MAX (the powers of two in between, and MIN and MAX) or a list such as 16,64,256. Default: 16..4096; sizes above the training rows train full-batch, once.")]
    public string? BatchSizes { get; init; }

    [CommandOption("--trainer <NAME>")]
    [Description("The network: torch-mlp (TorchSharp MLP, for a data file; the default there) or torch-cnn (TorchSharp CNN, for an image folder; the default there). Its defaults, or a trial's with --from-study, are used at every batch size.")]
    public string? Trainer { get; init; }

    [CommandOption("--from-study <DIR>")]
    [Description("The output folder of a search run (classification, regression, image-classification): with --trial, take that trial's network, optimizer, weight decay and learning rate (at its batch size) instead of the trainer's defaults.")]
    public string? FromStudy { get; init; }

    [CommandOption("--trial <N>")]
    [Description("With --from-study: the trial whose settings to sweep (a torch-mlp or torch-cnn trial). Default: the study's best Torch trial.")]
    public int? Trial { get; init; }

    [CommandOption("--target <LOSS>")]
    [Description("The validation loss each run trains to (log-loss, cross-entropy, or MSE in the label's units for regression); runs stop there. Default: a value every batch size reaches, 2% of a loss drop above the highest of their lowest losses.")]
    public double? Target { get; init; }

    [CommandOption("--train-time <SECONDS>")]
    [Description("Optimization time for the whole sweep, shared equally by the runs; a run also ends at its target, after --max-epochs, or when its validation loss has passed its minimum.")]
    [DefaultValue(600.0)]
    public double TrainTime { get; init; } = 600;

    [CommandOption("--max-epochs <N>")]
    [Description("The most epochs one run trains.")]
    [DefaultValue(100)]
    public int MaxEpochs { get; init; } = 100;

    [CommandOption("--search-learning-rate")]
    [Description("At each batch size try the scaling rule's rate x 0.5, x 1 and x 2 (three runs) and keep the one that reaches the target in the fewest steps. Without it: one run per batch size at the rule's rate (linear for SGD, square root for Adam).")]
    public bool SearchLearningRate { get; init; }

    [CommandOption("--image-size <SIZE>")]
    [Description("For an image folder: resize every image to WIDTHxHEIGHT pixels, e.g. 28x28. Without it all images must have the same size.")]
    public string? ImageSize { get; init; }

    [CommandOption("--skip-corrupt-images")]
    [Description("For an image folder: leave out image files that cannot be read, with a warning listing them.")]
    public bool SkipCorruptImages { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Seed of the validation split and of every run's initial weights and shuffles: every batch size starts from the same network.")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Where the runs train: auto (a CUDA GPU when the build has one, else the CPU), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    [CommandOption("--force")]
    [Description("Replace a sweep already in the output folder (its files are deleted first).")]
    public bool Force { get; init; }
}
