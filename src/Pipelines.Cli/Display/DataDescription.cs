using Microsoft.ML.Data;
using Pipelines.AutoML.Inference;

namespace Pipelines.Cli.Display;

/// <summary>One line on the data a run loaded, and details at diagnostic level: a file's columns, or an image folder's classes.</summary>
internal static class DataDescription
{
    public static void Describe(InputData data, Reporter reporter)
    {
        switch (data)
        {
            case TableInput table: Describe(table.Columns, reporter); break;
            case ImageInput images: Describe(images, reporter); break;
        }
    }

    static void Describe(ColumnInferenceResult columns, Reporter reporter)
    {
        var roles = columns.Columns.Where(c => c.Role != ColumnRole.Label).GroupBy(c => c.Role)
            .Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        reporter.Info($"Data: {columns.DataRowCount} rows of {Path.GetFileName(columns.FilePath)}; label '{columns.Label.OriginalName}': " +
            $"{columns.Task} ({columns.TaskExplanation}); columns: {string.Join(", ", roles)}.");
        foreach (var column in columns.Columns)
            reporter.Detail($"  column {column.Index} '{column.OriginalName}'{(column.Name != column.OriginalName ? $" as '{column.Name}'" : "")}: {column.Role}, {column.DataKind}; {column.Explanation}");
    }

    static void Describe(ImageInput input, Reporter reporter)
    {
        var images = input.Images;
        var counts = input.Train.GetColumn<string>("Label").GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        reporter.Info($"Data: {images.ImageCount} images in {images.Classes.Count} classes from {Path.GetFileName(input.Folder)} " +
            $"({string.Join(", ", images.Classes.Select(c => $"{c}: {counts.GetValueOrDefault(c)}"))}); " +
            $"{images.Channels} x {images.Height} x {images.Width} (channels x height x width), {(images.Channels == 1 ? "grey" : "colour")}.");
    }
}
