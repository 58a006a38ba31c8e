using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pipelines.AutoML.Experiment;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Runs;

/// <summary>
/// Everything a run was started with, resolved (full paths, the detected task, the metric's canonical name), as
/// written to settings.json at the start: `pipelines resume` reads it back and needs nothing else. Verbosity and the
/// log file are not part of it: they belong to each invocation.
/// </summary>
internal sealed record RunSettings
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    /// <summary>The command that started the run: classification, regression or image-classification.</summary>
    public required string Command { get; init; }
    [JsonConverter(typeof(JsonStringEnumConverter<PredictionKind>))]
    public required PredictionKind Task { get; init; }
    /// <summary>The data file, or for image-classification the image folder (one sub-folder per class).</summary>
    public required string Dataset { get; init; }
    public string? ValidationDataset { get; init; }
    public string? TestDataset { get; init; }
    /// <summary>The label column's name in the file (an index given on the command line is resolved to it); "Label" for images.</summary>
    public required string LabelColumn { get; init; }
    public bool? HasHeader { get; init; }
    public IReadOnlyList<string> IgnoreColumns { get; init; } = Array.Empty<string>();
    public double? TrainTimeSeconds { get; init; }
    public int? MaxTrials { get; init; }
    /// <summary>The run's name: the consumption code's, and the study's unless <see cref="Study"/> names another.</summary>
    public required string Name { get; init; }
    /// <summary>The study storage's URL without its password (see <see cref="StudyLocation"/>), or null for study.db in the output folder.</summary>
    public string? Storage { get; init; }
    /// <summary>The study's name in the storage (--study), or null for <see cref="Name"/>.</summary>
    public string? Study { get; init; }
    public required IReadOnlyList<string> Trainers { get; init; }
    public required string Metric { get; init; }
    public required string Tuner { get; init; }
    public required string Pruner { get; init; }
    /// <summary>--fidelity: what the pruner's steps count (epochs in the settings.json of runs from before the option).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<PruningFidelity>))]
    public PruningFidelity Fidelity { get; init; }
    public int Parallel { get; init; } = 1;
    public int Seed { get; init; }
    public string Device { get; init; } = "auto";
    /// <summary>The --batch-sizes range (written "16..1024"), or null for the trainer's default.</summary>
    public IntRange? BatchSizes { get; init; }
    /// <summary>The --epochs range (written "5..200"), or null for the trainer's default.</summary>
    public IntRange? Epochs { get; init; }
    /// <summary>The --search-space file's path, for the record; its content is kept in <see cref="SearchSpace"/>.</summary>
    public string? SearchSpaceFile { get; init; }
    /// <summary>The --search-space file's content, so a resumed run does not depend on the file still being there.</summary>
    public JsonObject? SearchSpace { get; init; }
    public double GapPenalty { get; init; }
    /// <summary>The best model is fitted again on training plus validation rows when the budget has room (unless --no-refit). False in the settings.json of runs from before refit was the default.</summary>
    public bool Refit { get; init; }
    /// <summary>image-classification: the --image-size every image is resized to ("28x28"), or null to keep their size.</summary>
    public string? ImageSize { get; init; }
    /// <summary>image-classification: leave unreadable images out (with a warning) instead of failing.</summary>
    public bool SkipCorruptImages { get; init; }
    /// <summary>image-classification: the --max-image-pixels an image may have, or null for the loader's default.</summary>
    public long? MaxImagePixels { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string ToolVersion { get; init; } = "";

    /// <summary>The study's name in the storage.</summary>
    [JsonIgnore]
    public string StudyName => Study ?? Name;

    /// <summary>Whether the run learns from an image folder rather than a data file.</summary>
    [JsonIgnore]
    public bool IsImageRun => Command == ImageInput.Command;
}
