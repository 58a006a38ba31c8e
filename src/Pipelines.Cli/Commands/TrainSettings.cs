using System.ComponentModel;
using Spectre.Console.Cli;

namespace Pipelines.Cli.Commands;

/// <summary>The options of `classification` and `regression`: mlnet's, then ours.</summary>
internal sealed class TrainSettings : CommandSettings, ISearchOptions
{
    [CommandOption("--dataset <PATH>", isRequired: true)]
    [Description("The training data: a CSV or TSV file (separator, header and column types are detected). Without --validation-dataset, 20% of its rows are held out for validation.")]
    public string Dataset { get; init; } = "";

    [CommandOption("--label-col <NAME>", isRequired: true)]
    [Description("The column to predict: its name in the header (col0, col1, ... without a header), or its 0-based index.")]
    public string LabelColumn { get; init; } = "";

    [CommandOption("--validation-dataset <PATH>")]
    [Description("Validation rows, with the same columns as --dataset: trials are scored on them.")]
    public string? ValidationDataset { get; init; }

    [CommandOption("--test-dataset <PATH>")]
    [Description("Test rows, with the same columns as --dataset: never used in the search, the best model is evaluated on them at the end.")]
    public string? TestDataset { get; init; }

    [CommandOption("--has-header <BOOL>")]
    [Description("true or false: whether the first line holds column names. Detected when not given.")]
    public string? HasHeader { get; init; }

    [CommandOption("--ignore-cols <COLUMNS>")]
    [Description("Columns to leave out of the features, separated by commas.")]
    public string? IgnoreColumns { get; init; }

    [CommandOption("--train-time <SECONDS>")]
    [Description("Time budget of the search in seconds. Default: 1800 (as mlnet), or no time limit when only --max-trials is given. A trial still running at the end is stopped.")]
    public double? TrainTime { get; init; }

    [CommandOption("-o|--output <DIR>")]
    [Description("The output folder (created if needed). Default: ./<name>. A folder that holds another run is refused unless --force.")]
    public string? Output { get; init; }

    [CommandOption("--name <NAME>")]
    [Description("The run's name: the study's name in study.db, the default output folder and the consumption code's name. Default: SampleClassification or SampleRegression.")]
    public string? Name { get; init; }

    [CommandOption("--log-file-path <PATH>")]
    [Description("Also write everything, at diagnostic level and with times, to this file (appended).")]
    public string? LogFilePath { get; init; }

    [CommandOption("-v|--verbosity <LEVEL>")]
    [Description("How much to show: q (quiet: the result only), m (minimal: progress and summary), diag (diagnostic: every epoch, column decisions, stack traces).")]
    [DefaultValue("m")]
    public string Verbosity { get; init; } = "m";

    [CommandOption("--trainers <LIST>")]
    [Description("Trainers to search, separated by commas: torch-mlp (TorchSharp MLP; batch size and epochs tuned), fasttree, fastforest, lightgbm, linear (SDCA). Default: all of them.")]
    public string? Trainers { get; init; }

    [CommandOption("--metric <METRIC>")]
    [Description("The validation metric to optimize. Binary: accuracy (default), auc, auprc, f1, logloss. Multiclass: micro-accuracy (default), macro-accuracy, logloss. Regression: r2 (default), rmse, mae, mse.")]
    public string? Metric { get; init; }

    [CommandOption("--tuner <TUNER>")]
    [Description("How configurations are proposed: tpe (Tree-structured Parzen Estimator, as Optuna), random, grid, cfo (FLAML's cost-frugal local search), tpe-cost (TPE that also weighs each configuration's predicted training time).")]
    [DefaultValue("tpe")]
    public string Tuner { get; init; } = "tpe";

    [CommandOption("--pruner <PRUNER>")]
    [Description("How torch-mlp trials are stopped early on their per-epoch validation metric: none, median (Optuna's default rule), asha (asynchronous successive halving), hyperband.")]
    [DefaultValue("median")]
    public string Pruner { get; init; } = "median";

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
    [Description("Where torch-mlp trains: auto (a CUDA GPU when the build has one, else the CPU), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    [CommandOption("--batch-sizes <RANGE>")]
    [Description("torch-mlp batch sizes to search, as MIN..MAX (powers of two in between) or one value. Default: 16..1024, capped at the training rows.")]
    public string? BatchSizes { get; init; }

    [CommandOption("--epochs <RANGE>")]
    [Description("torch-mlp epochs to search, as MIN..MAX (log scale) or one value. Default: 5..200.")]
    public string? Epochs { get; init; }

    [CommandOption("--search-space <FILE>")]
    [Description("A JSON file of search spaces by trainer, in the search-space JSON format, e.g. {\"torch-mlp\": {\"width\": {\"type\": \"int\", \"min\": 32, \"max\": 256, \"log_base\": true}}}. Each parameter given replaces the trainer's default range; the others keep theirs. --batch-sizes and --epochs apply on top.")]
    public string? SearchSpace { get; init; }

    [CommandOption("--gap-penalty <LAMBDA>")]
    [Description("Optimize the metric minus LAMBDA x max(0, generalization gap) (plus, for losses), to prefer models that generalize. 0 turns it off.")]
    [DefaultValue(0.0)]
    public double GapPenalty { get; init; }

    [CommandOption("--force")]
    [Description("Replace a run already in the output folder (its files are deleted first).")]
    public bool Force { get; init; }
}
