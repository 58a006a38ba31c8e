using System.Reflection;
using Pipelines.AutoML.Metrics;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;
using Pipelines.Cli.Runs;
using Spectre.Console.Cli;

namespace Pipelines.Cli.Commands;

/// <summary>
/// `classification` and `regression`: check every option and the data before anything is written, write
/// settings.json, then run. The two commands differ only in the task they ask of the label.
/// </summary>
internal abstract class TrainCommand(Terminal terminal, ReportHook report) : AsyncCommand<TrainSettings>
{
    protected abstract string CommandName { get; }

    /// <summary>mlnet's default name: SampleClassification, SampleRegression.</summary>
    protected abstract string DefaultName { get; }

    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings options, CancellationToken cancellation) =>
        await CommandRunner.Run(terminal, options, async reporter =>
        {
            var folder = new OutputFolder(options.Output ?? options.Name ?? DefaultName);
            folder.CheckFreeForNewRun(options.Force);
            var settings = Resolve(options, reporter);
            folder.PrepareForNewRun(options.Force);
            SettingsFile.Write(folder.Settings, settings);
            reporter.Detail($"Settings written to {folder.Settings}.");
            return await TrainingSession.RunAsync(settings, folder, _ => RunBudget.ForNewRun(settings), reporter, report, cancellation);
        });

    RunSettings Resolve(TrainSettings o, Reporter reporter)
    {
        if (o.TrainTime is <= 0) throw CliException.Input($"--train-time {o.TrainTime}: the time budget must be positive.");
        if (o.MaxTrials is < 1) throw CliException.Input($"--max-trials {o.MaxTrials}: at least one trial.");
        if (o.Parallel < 1) throw CliException.Input($"--parallel {o.Parallel}: at least one trial at a time.");
        if (!(o.GapPenalty >= 0)) throw CliException.Input($"--gap-penalty {o.GapPenalty}: must be zero or positive.");
        var name = string.IsNullOrWhiteSpace(o.Name) ? DefaultName : o.Name.Trim();
        var hasHeader = ParseBool(o.HasHeader);
        var ignore = (o.IgnoreColumns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var trainers = TrainerChoice.Parse(o.Trainers);
        var tuner = TunerChoice.Normalize(o.Tuner);
        var pruner = PrunerChoice.Normalize(o.Pruner);
        if (o.BatchSizes != null) IntRange.Parse(o.BatchSizes, "--batch-sizes");
        if (o.Epochs != null) IntRange.Parse(o.Epochs, "--epochs");
        var searchSpace = o.SearchSpace is { } file ? SearchSpacePlan.ReadFile(file) : null;

        var columns = DataInference.Infer(o.Dataset, o.LabelColumn, hasHeader, ignore, InputData.ForcedTask(CommandName));
        if (o.ValidationDataset != null) DataInference.CheckSameColumns(columns, o.ValidationDataset, "--validation-dataset");
        if (o.TestDataset != null) DataInference.CheckSameColumns(columns, o.TestDataset, "--test-dataset");
        string metric;
        try
        {
            metric = MetricCatalog.Resolve(columns.Task, o.Metric ?? MetricCatalog.DefaultMetric(columns.Task));
        }
        catch (ArgumentException e)
        {
            throw CliException.Input("--metric: " + e.Message);
        }
        var device = TrainerChoice.CheckDevice(o.Device, trainers);

        var settings = new RunSettings
        {
            Command = CommandName,
            Task = columns.Task,
            Dataset = columns.FilePath,
            ValidationDataset = o.ValidationDataset is { } v ? Path.GetFullPath(v) : null,
            TestDataset = o.TestDataset is { } t ? Path.GetFullPath(t) : null,
            LabelColumn = columns.Label.OriginalName,
            HasHeader = hasHeader,
            IgnoreColumns = ignore,
            // mlnet's default budget, unless the user bounded the search by trials alone.
            TrainTimeSeconds = o.TrainTime ?? (o.MaxTrials == null ? RunBudget.DefaultSeconds : null),
            MaxTrials = o.MaxTrials,
            Name = name,
            Trainers = trainers,
            Metric = metric,
            Tuner = tuner,
            Pruner = pruner,
            Parallel = o.Parallel,
            Seed = o.Seed,
            Device = device,
            BatchSizes = o.BatchSizes,
            Epochs = o.Epochs,
            SearchSpaceFile = o.SearchSpace is { } s ? Path.GetFullPath(s) : null,
            SearchSpace = searchSpace,
            GapPenalty = o.GapPenalty,
            CreatedAt = DateTimeOffset.UtcNow,
            ToolVersion = typeof(TrainCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
        };
        // The spaces are built now too, so a --search-space or range that does not fit fails before anything is written.
        SearchSpacePlan.Build(settings, TrainerChoice.Create(trainers, device, columns.Task),
            InputData.TrainRows(columns, settings.ValidationDataset != null), reporter.Detail);
        return settings;
    }

    static bool? ParseBool(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw CliException.Input($"--has-header '{text}': use true or false."),
    };
}
