using Pipelines.AutoML.Metrics;
using Pipelines.AutoML.Portfolio;
using Pipelines.Cli.Commands;
using Pipelines.Torch;
using Pipelines.Torch.BatchSize;
using Pipelines.Torch.Data;
using Pipelines.Torch.Trainers;
using Pipelines.Torch.Training;

namespace Pipelines.Cli.Runs;

/// <summary>
/// What a batch-size sweep trains: the data (a file's columns or an image folder, loaded and featurized as the search
/// commands do it), the trainer (torch-mlp or torch-cnn, with its defaults or a study trial's settings) and how to run
/// the sweep on them. Every option is checked here, before training starts.
/// </summary>
internal sealed record SweepSetup(InputData Data, PredictionKind Task, string Trainer, string Network, StudyTrial? Trial,
    Func<BatchSizeSweepOptions, BatchSizeSweepResult> Run)
{
    public const string MlpTrainer = "torch-mlp", CnnTrainer = "torch-cnn";

    public static SweepSetup Create(BatchSizeSettings o, Action<string> warn)
    {
        var dataset = Path.TrimEndingDirectorySeparator(Path.GetFullPath(o.Dataset));
        bool images = Directory.Exists(dataset);
        if (!images && !File.Exists(dataset))
            throw CliException.Input($"--dataset: there is no file or folder '{dataset}'.");
        if (o.Trial is not null && o.FromStudy is null)
            throw CliException.Input("--trial needs --from-study DIR: the search run whose trial to sweep.");
        var trial = o.FromStudy is { } study ? StudyTrial.Read(study, o.Trial) : null;
        string trainer = CheckTrainer(o.Trainer, trial, images);
        string device = TrainerChoice.CheckDevice(o.Device, new[] { trainer });

        var ml = new MLContext(o.Seed);
        InputData data = images ? LoadImages(ml, o, dataset, warn) : LoadTable(ml, o, dataset, warn);
        var task = images ? PredictionKind.MulticlassClassification : ((TableInput)data).Columns.Task;
        var featurizer = data.BuildFeaturizer(ml).Fit(data.Train);
        var train = ml.Data.Cache(featurizer.Transform(data.Train));
        var validation = data.Validation is { } v ? ml.Data.Cache(featurizer.Transform(v)) : null;

        var context = new TrialFitContext { MLContext = ml, Task = task, Train = train, Validation = validation, Seed = o.Seed };
        TorchTrainerOptions Shared(TorchTrainerOptions options)
        {
            // A trial's rate belongs to its own batch size: the scaling rule starts there.
            if (trial != null && options.LearningRateScaling == LearningRateScaling.None) options.ReferenceBatchSize = options.BatchSize;
            options.ValidationSet = validation;
            options.ValidationFraction = validation == null ? InputData.ValidationFraction : 0;
            options.Seed = o.Seed;
            options.Device = device;
            return options;
        }
        if (trainer == CnnTrainer)
        {
            var options = (TorchImageClassifierTrainer.Options)Shared(trial is null ? new TorchImageClassifierTrainer.Options()
                : ((TorchImageCandidate)trial.Candidate).ToOptions(trial.Parameters, context));
            var cnn = ml.MulticlassClassification.Trainers.TorchImageClassifier(options);
            return new SweepSetup(data, task, trainer, $"{options.Architecture} width {options.Width} depth {options.Depth}, {Optimizer(options)}", trial,
                sweep => BatchSizeSweep.Run(cnn, train, sweep));
        }
        var mlpOptions = (TorchMlpTrainer.Options)Shared(trial is null ? new TorchMlpTrainer.Options()
            : ((TorchMlpCandidate)trial.Candidate).ToOptions(trial.Parameters, context));
        var mlp = task switch
        {
            PredictionKind.BinaryClassification => ml.BinaryClassification.Trainers.TorchMlp(mlpOptions),
            PredictionKind.MulticlassClassification => ml.MulticlassClassification.Trainers.TorchMlp(mlpOptions),
            _ => ml.Regression.Trainers.TorchMlp(mlpOptions),
        };
        return new SweepSetup(data, task, trainer, $"MLP [{string.Join(", ", mlpOptions.HiddenLayers)}], {Optimizer(mlpOptions)}", trial,
            sweep => BatchSizeSweep.Run(mlp, train, sweep));
    }

    static string Optimizer(TorchTrainerOptions o) =>
        $"{o.Optimizer}, learning rate {o.LearningRate:G3} at batch {o.ReferenceBatchSize}, weight decay {o.WeightDecay:G3}";

    static string CheckTrainer(string? requested, StudyTrial? trial, bool images)
    {
        string? name = requested?.Trim().ToLowerInvariant();
        if (name is not (null or MlpTrainer or CnnTrainer))
            throw CliException.Input($"--trainer '{requested}': the sweep trains torch-mlp (a data file) or torch-cnn (an image folder).");
        if (trial != null && name != null && name != trial.Candidate.Name)
            throw CliException.Input($"--trainer {name}, but trial {trial.Id} of {trial.Folder} trained {trial.Candidate.Name}; leave --trainer out to sweep the trial's.");
        name = trial?.Candidate.Name ?? name ?? (images ? CnnTrainer : MlpTrainer);
        if (name == CnnTrainer && !images)
            throw CliException.Input($"{CnnTrainer} trains on images: give --dataset a folder with one sub-folder per class.");
        return name;
    }

    static TableInput LoadTable(MLContext ml, BatchSizeSettings o, string dataset, Action<string> warn)
    {
        if (string.IsNullOrWhiteSpace(o.LabelColumn))
            throw CliException.Input("--label-col is required for a data file: the column to predict, by name or 0-based index.");
        if (o.ImageSize != null || o.SkipCorruptImages)
            throw CliException.Input("--image-size and --skip-corrupt-images are for an image folder; --dataset is a data file.");
        bool? hasHeader = TrainCommand.ParseBool(o.HasHeader);
        var ignore = (o.IgnoreColumns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var columns = DataInference.Infer(dataset, o.LabelColumn, hasHeader, ignore, task: null, keepRegression: true);
        TableInput.CheckOtherFiles(columns, o.ValidationDataset, test: null, warn);
        return TableInput.FromColumns(ml, columns, DataSettings(columns.Task == PredictionKind.Regression ? "regression" : "classification",
            columns.Task, columns.FilePath, o.ValidationDataset, columns.Label.OriginalName) with { HasHeader = hasHeader, IgnoreColumns = ignore });
    }

    static ImageInput LoadImages(MLContext ml, BatchSizeSettings o, string folder, Action<string> warn)
    {
        if (o.LabelColumn != null || o.HasHeader != null || o.IgnoreColumns != null)
            throw CliException.Input("--label-col, --has-header and --ignore-cols are for a data file; --dataset is an image folder (its sub-folders are the labels).");
        return ImageInput.LoadFolders(ml, DataSettings(ImageInput.Command, PredictionKind.MulticlassClassification, folder, o.ValidationDataset, "Label") with
        {
            ImageSize = o.ImageSize,
            SkipCorruptImages = o.SkipCorruptImages,
        }, warn);
    }

    /// <summary>The data part of a run's settings, which the search commands' loaders read; the search fields stay empty.</summary>
    static RunSettings DataSettings(string command, PredictionKind task, string dataset, string? validation, string label) => new()
    {
        Command = command,
        Task = task,
        Dataset = dataset,
        ValidationDataset = validation is { } v ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(v)) : null,
        LabelColumn = label,
        Name = BatchSizeSettings.DefaultName,
        Trainers = Array.Empty<string>(),
        Metric = MetricCatalog.DefaultMetric(task),
        Tuner = "",
        Pruner = "",
    };
}
