using System.Reflection;
using System.Text.Json.Nodes;
using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.Metrics;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Commands;

/// <summary>
/// A command that starts a search: check every option and the data before anything is written, write settings.json,
/// then run. The commands differ in their data (a file's columns, an image folder) and what they ask of it.
/// </summary>
internal abstract class SearchCommand<TSettings>(Terminal terminal, ReportHook report) : PipelinesCommand<TSettings>(terminal)
    where TSettings : SearchSettings
{
    /// <summary>mlnet's default name: SampleClassification, SampleRegression, SampleImageClassification.</summary>
    string DefaultName => "Sample" + string.Concat(CommandName.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));

    /// <summary>Checks the options and the data and resolves them into the run's settings and its data.</summary>
    protected abstract (RunSettings Settings, InputData Data) Resolve(TSettings options, Reporter reporter);

    protected override async Task<int> Run(TSettings options, Reporter reporter, CancellationToken cancellation)
    {
        var folder = new OutputFolder(options.Output ?? options.Name ?? DefaultName);
        folder.CheckFreeForNewRun(options.Force);
        var storage = StudyLocation.Given(options.Storage);
        var (settings, data) = Resolve(options, reporter);
        settings = settings with { Storage = StudyLocation.ToKeep(storage), Study = string.IsNullOrWhiteSpace(options.Study) ? null : options.Study.Trim() };
        // The spaces are built now, so a --search-space or range that does not fit fails before anything is written.
        var plan = RunPlan.Create(settings, data, reporter.Detail);
        if (storage is not null) StudyLocation.CheckJoinable(storage, settings);
        // Only now, with everything checked, is the folder claimed; then it is checked again, as its owner.
        using var owner = folder.ClaimForNewRun(options.Force, CommandName);
        SettingsFile.Write(folder.Settings, settings);
        reporter.Detail($"Settings written to {folder.Settings}.");
        return await TrainingSession.RunAsync(plan, folder, storage ?? folder.StudyDb, _ => RunBudget.ForNewRun(settings), reporter, report, cancellation);
    }

    /// <summary>The search options resolved before the data is looked at.</summary>
    protected sealed record SearchChoices(string Name, IReadOnlyList<string> Trainers, string Tuner, string Pruner, PruningFidelity Fidelity, IntRange? BatchSizes, IntRange? Epochs, JsonObject? SearchSpace);

    /// <summary>The cheap checks first, so a typo in an option fails before a large data set is read.</summary>
    protected SearchChoices CheckSearchOptions(TSettings o, bool images)
    {
        RunBudget.CheckOptions(o.TrainTime, o.MaxTrials);
        if (o.Parallel < 1) throw CliException.Input($"--parallel {o.Parallel}: at least one trial at a time.");
        if (!(o.GapPenalty >= 0)) throw CliException.Input($"--gap-penalty {o.GapPenalty}: must be zero or positive.");
        var name = string.IsNullOrWhiteSpace(o.Name) ? DefaultName : o.Name.Trim();
        var trainers = TrainerChoice.Parse(o.Trainers, images);
        var tuner = TunerChoice.Normalize(o.Tuner);
        var pruner = PrunerChoice.Normalize(o.Pruner);
        var fidelity = PrunerChoice.ParseFidelity(o.Fidelity);
        var batchSizes = o.BatchSizes is { } b ? IntRange.Parse(b, "--batch-sizes") : (IntRange?)null;
        var epochs = o.Epochs is { } e ? IntRange.Parse(e, "--epochs") : (IntRange?)null;
        var searchSpace = o.SearchSpace is { } file ? SearchSpacePlan.ReadFile(file) : null;
        return new SearchChoices(name, trainers, tuner, pruner, fidelity, batchSizes, epochs, searchSpace);
    }

    /// <summary>The run's settings once the data has given the task; the command adds what belongs to its kind of data.</summary>
    protected RunSettings ToSettings(TSettings o, SearchChoices choices, PredictionKind task, string dataset, string label)
    {
        string metric;
        try
        {
            metric = MetricCatalog.Resolve(task, o.Metric ?? MetricCatalog.DefaultMetric(task));
        }
        catch (ArgumentException e)
        {
            throw CliException.Input("--metric: " + e.Message);
        }
        return new RunSettings
        {
            Command = CommandName,
            Task = task,
            Dataset = dataset,
            ValidationDataset = o.ValidationDataset is { } v ? FullPath(v) : null,
            TestDataset = o.TestDataset is { } t ? FullPath(t) : null,
            LabelColumn = label,
            // mlnet's default budget, unless the user bounded the search by trials alone.
            TrainTimeSeconds = o.TrainTime ?? (o.MaxTrials == null ? RunBudget.DefaultSeconds : null),
            MaxTrials = o.MaxTrials,
            Name = choices.Name,
            Trainers = choices.Trainers,
            Metric = metric,
            Tuner = choices.Tuner,
            Pruner = choices.Pruner,
            Fidelity = choices.Fidelity,
            Parallel = o.Parallel,
            Seed = o.Seed,
            Device = TrainerChoice.CheckDevice(o.Device, choices.Trainers),
            BatchSizes = choices.BatchSizes,
            Epochs = choices.Epochs,
            SearchSpaceFile = o.SearchSpace is { } s ? FullPath(s) : null,
            SearchSpace = choices.SearchSpace,
            GapPenalty = o.GapPenalty,
            Refit = !o.NoRefit,
            CreatedAt = DateTimeOffset.UtcNow,
            ToolVersion = typeof(SearchCommand<TSettings>).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
        };
    }

    /// <summary>A full path without a trailing separator, so a folder given as "images/" is named "images" in titles.</summary>
    protected static string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
