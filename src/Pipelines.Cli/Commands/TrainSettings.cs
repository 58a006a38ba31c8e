namespace Pipelines.Cli.Commands;

/// <summary>The options of `classification` and `regression`: mlnet's, then ours.</summary>
internal sealed class TrainSettings : SearchSettings
{
    [CommandOption("--dataset <PATH>", isRequired: true)]
    [Description("The training data: a CSV or TSV file (separator, header and column types are detected). Without --validation-dataset, 20% of its rows are held out for validation.")]
    public override string Dataset { get; init; } = "";

    [CommandOption("--label-col <NAME>", isRequired: true)]
    [Description("The column to predict: its name in the header (col0, col1, ... without a header), or its 0-based index.")]
    public string LabelColumn { get; init; } = "";

    [CommandOption("--validation-dataset <PATH>")]
    [Description("Validation rows, with the same columns as --dataset: trials are scored on them.")]
    public override string? ValidationDataset { get; init; }

    [CommandOption("--test-dataset <PATH>")]
    [Description("Test rows, with the same columns as --dataset: never used in the search, the best model is evaluated on them at the end.")]
    public override string? TestDataset { get; init; }

    [CommandOption("--has-header <BOOL>")]
    [Description("true or false: whether the first line holds column names. Detected when not given.")]
    public string? HasHeader { get; init; }

    [CommandOption("--ignore-cols <COLUMNS>")]
    [Description("Columns to leave out of the features, separated by commas.")]
    public string? IgnoreColumns { get; init; }

    [CommandOption("--trainers <LIST>")]
    [Description("Trainers to search, separated by commas: torch-mlp (TorchSharp MLP; batch size and epochs tuned), fasttree, fastforest, lightgbm, linear (SDCA). Default: all of them.")]
    public override string? Trainers { get; init; }

    [CommandOption("--metric <METRIC>")]
    [Description("The validation metric to optimize. Binary: accuracy (default), auc, auprc, f1, logloss. Multiclass: micro-accuracy (default), macro-accuracy, logloss. Regression: r2 (default), rmse, mae, mse.")]
    public override string? Metric { get; init; }

    [CommandOption("--pruner <PRUNER>")]
    [Description("How torch-mlp trials are stopped early on their per-epoch validation metric: none, median (Optuna's default rule), asha (asynchronous successive halving), hyperband.")]
    [DefaultValue("median")]
    public override string Pruner { get; init; } = "median";

    [CommandOption("--batch-sizes <RANGE>")]
    [Description("torch-mlp batch sizes to search, as MIN..MAX (powers of two in between) or one value. Default: 16..1024, capped at the training rows.")]
    public override string? BatchSizes { get; init; }

    [CommandOption("--epochs <RANGE>")]
    [Description("torch-mlp epochs to search, as MIN..MAX (log scale) or one value. Default: 5..200.")]
    public override string? Epochs { get; init; }

    [CommandOption("--search-space <FILE>")]
    [Description("A JSON file of search spaces by trainer, in the search-space JSON format, e.g. {\"torch-mlp\": {\"width\": {\"type\": \"int\", \"min\": 32, \"max\": 256, \"log_base\": true}}}. Each parameter given replaces the trainer's default range; the others keep theirs. --batch-sizes and --epochs apply on top.")]
    public override string? SearchSpace { get; init; }
}
