using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Commands;

/// <summary>
/// `pipelines classification` (binary or multiclass, decided from the label as mlnet does) and `pipelines regression`
/// (a numeric label; anything else is an error that names the line) on a CSV/TSV file: one command under two names
/// that differ only in the task they ask of the label.
/// </summary>
internal sealed class TrainCommand(Terminal terminal, ReportHook report) : SearchCommand<TrainSettings>(terminal, report)
{
    protected override (RunSettings Settings, InputData Data) Resolve(TrainSettings o, Reporter reporter)
    {
        var hasHeader = ParseBool(o.HasHeader);
        var ignore = (o.IgnoreColumns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var choices = CheckSearchOptions(o, images: false);

        var columns = DataInference.Infer(o.Dataset, o.LabelColumn, hasHeader, ignore, TableInput.ForcedTask(CommandName));
        TableInput.CheckOtherFiles(columns, o.ValidationDataset, o.TestDataset, reporter.Warning);
        var settings = ToSettings(o, choices, columns.Task, columns.FilePath, columns.Label.OriginalName) with
        {
            HasHeader = hasHeader,
            IgnoreColumns = ignore,
        };
        return (settings, TableInput.FromColumns(new MLContext(settings.Seed), columns, settings));
    }

    /// <summary>--has-header: true or false (yes/no, 1/0), or null to detect it.</summary>
    internal static bool? ParseBool(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw CliException.Input($"--has-header '{text}': use true or false."),
    };
}
