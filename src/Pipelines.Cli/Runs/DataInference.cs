using Pipelines.AutoML.Inference;
using Pipelines.Torch.Data;

namespace Pipelines.Cli.Runs;

/// <summary>
/// Column inference as the commands need it: the label by name or 0-based index, the task as the command asks
/// (classification: binary or multiclass from the label, as mlnet; regression: forced, so a non-numeric label is an
/// error), and validation and test files checked against the training file's columns.
/// </summary>
internal static class DataInference
{
    /// <param name="task">The task to force (regression); null to detect binary or multiclass.</param>
    /// <param name="keepRegression">With no task forced: keep a label detected as regression (the batch-size command takes any task) instead of reading it as classes.</param>
    public static ColumnInferenceResult Infer(string dataset, string label, bool? hasHeader, IReadOnlyList<string> ignore, PredictionKind? task,
        bool keepRegression = false)
    {
        var path = Path.GetFullPath(dataset);
        ColumnInferenceResult Run(string name, PredictionKind? forced) =>
            ColumnInference.InferColumns(path, name, hasHeader: hasHeader, ignoreColumns: ignore, task: forced);
        ColumnInferenceResult result;
        try
        {
            // Detected first, so the task's explanation reads "numbers with fractions" rather than "as requested".
            result = Run(label, null);
        }
        catch (ColumnNotFoundException e) when (e.ColumnName == label && IsIndex(label, e.AvailableColumns.Count, out int index))
        {
            // mlnet takes the label's name or index; an index that is not also a column name picks by position.
            result = Run(e.AvailableColumns[index], null);
        }
        if (task is { } forced && result.Task != forced)
            return Run(result.Label.OriginalName, forced);
        // `classification` on whole numbers with many values: still classes, since the user said so.
        if (task == null && result.Task == PredictionKind.Regression && !keepRegression)
            return Run(result.Label.OriginalName, PredictionKind.MulticlassClassification);
        return result;
    }

    /// <summary>
    /// Validation and test files are loaded with the training file's layout, so their first line must match it:
    /// the same column names (with a header) or the same number of fields (without).
    /// </summary>
    public static void CheckSameColumns(ColumnInferenceResult training, string otherFile, string option)
    {
        var path = Path.GetFullPath(otherFile);
        if (!File.Exists(path)) throw CliException.Input($"{option}: data file '{path}' was not found.");
        // Split by the training file's own reader: a quoted header cell may hold the separator.
        var fields = ColumnInference.FirstLineFields(path, training.Separator)
            ?? throw CliException.Input($"{option}: data file '{path}' is empty: it has no line with data.");
        var expected = training.Columns.Select(c => c.OriginalName).ToList();
        bool same = training.HasHeader ? fields.SequenceEqual(expected) : fields.Count == expected.Count;
        if (!same)
            throw CliException.Input(training.HasHeader
                ? $"{option} {path} has columns {string.Join(", ", fields)}, but the training data {training.FilePath} has {string.Join(", ", expected)}. Both need the same header."
                : $"{option} {path} has {fields.Count} fields on its first line, but the training data {training.FilePath} has {expected.Count}.");
    }

    /// <summary>
    /// A validation or test file whose label holds a class the training data lacks is an error, named with its line;
    /// category values the training data lacks are a warning per column, with the first line and how many rows.
    /// </summary>
    public static void CheckValuesKnown(ColumnInferenceResult training, string otherFile, string option, Action<string> warn)
    {
        var path = Path.GetFullPath(otherFile);
        var coverage = ValueCoverage.Check(training, path);
        if (coverage.Label is { } unseen)
        {
            var classes = training.LabelClasses.Count > 0 ? $" (its classes: {string.Join(", ", training.LabelClasses.Take(20))})" : "";
            throw CliException.Input(
                $"{option} {path}, line {unseen.FirstLine}: the label '{training.Label.OriginalName}' is '{unseen.FirstValue}', a class the training data " +
                $"{training.FilePath} does not have{classes}. Remove those rows, or add rows of that class to the training data.");
        }
        foreach (var column in coverage.Categories)
            warn($"{option} {path}: the column '{column.Column}' has {column.Distinct} value(s) the training data does not have, in {column.Rows} row(s) " +
                 $"(the first '{column.FirstValue}' on line {column.FirstLine}); the model learnt nothing about them and reads them as no category it knows.");
    }

    static bool IsIndex(string text, int columnCount, out int index) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < columnCount;
}
