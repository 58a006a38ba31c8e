using System.Text;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Inference;

/// <summary>The values of one column of a validation or test file that no training row has.</summary>
/// <param name="Column">The column's name in the file.</param>
/// <param name="FirstLine">The 1-based line of the first row holding one.</param>
/// <param name="FirstValue">That row's value.</param>
/// <param name="Rows">Rows holding one.</param>
/// <param name="Distinct">Distinct such values.</param>
public sealed record UnseenValues(string Column, long FirstLine, string FirstValue, int Rows, int Distinct);

/// <summary>What a validation or test file holds that the training file lacks: a label class, category values.</summary>
/// <param name="Label">The label column's unseen classes (classification only); null when every class is known.</param>
/// <param name="Categories">Each categorical feature column with unseen values, in file order.</param>
public sealed record Coverage(UnseenValues? Label, IReadOnlyList<UnseenValues> Categories);

/// <summary>
/// Whether a validation or test file's labels and category values all occur in the training file. A class the model
/// never saw makes ML.NET's evaluators fail deep inside every trial, so it is found up front with its line; a category
/// value the training data lacks is legal (the featurizer encodes it as no category it knows) but is worth a warning,
/// since the model learnt nothing about it. Both files are streamed line by line with the loader's own field
/// splitting, once each; numbers are compared by value, missing cells are left out.
/// </summary>
public static class ValueCoverage
{
    /// <summary>The label classes and category values of <paramref name="otherFile"/> that no row of the training file has.</summary>
    public static Coverage Check(ColumnInferenceResult training, string otherFile)
    {
        var columns = training.FeatureColumns.Where(c => c.Role == ColumnRole.Categorical).ToList();
        bool classes = training.Task is PredictionKind.BinaryClassification or PredictionKind.MulticlassClassification;
        if (classes) columns.Insert(0, training.Label);
        if (columns.Count == 0) return new Coverage(null, Array.Empty<UnseenValues>());

        var seen = columns.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        foreach (var (_, values) in Rows(training, training.FilePath, columns))
            for (int c = 0; c < columns.Count; c++)
                if (values[c] is { } value) seen[c].Add(value);

        var found = columns.Select(_ => new Tally()).ToArray();
        foreach (var (line, values) in Rows(training, otherFile, columns))
            for (int c = 0; c < columns.Count; c++)
                if (values[c] is { } value && !seen[c].Contains(value)) found[c].Add(line, value);

        var unseen = columns.Select((column, c) => found[c].ToUnseen(column.OriginalName)).ToList();
        return new Coverage(classes ? unseen[0] : null, unseen.Skip(classes ? 1 : 0).OfType<UnseenValues>().ToList());
    }

    sealed class Tally
    {
        readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
        long _firstLine;
        string _firstValue = "";
        int _rows;

        public void Add(long line, string value)
        {
            if (_rows++ == 0) (_firstLine, _firstValue) = (line, value);
            _distinct.Add(value);
        }

        public UnseenValues? ToUnseen(string column) => _rows == 0 ? null : new UnseenValues(column, _firstLine, _firstValue, _rows, _distinct.Count);
    }

    /// <summary>Each data line's values of <paramref name="columns"/>, as the loader compares them (numbers by value), null where missing.</summary>
    static IEnumerable<(long Line, string?[] Values)> Rows(ColumnInferenceResult layout, string path, IReadOnlyList<InferredColumn> columns)
    {
        long lineNumber = 0;
        bool header = layout.HasHeader;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (header) { header = false; continue; }
            var fields = DelimitedLine.Split(line, layout.Separator, out _);
            var values = new string?[columns.Count];
            for (int c = 0; c < columns.Count; c++)
                values[c] = Value(layout, columns[c], fields);
            yield return (lineNumber, values);
        }
    }

    static string? Value(ColumnInferenceResult layout, InferredColumn column, IReadOnlyList<string> fields)
    {
        if (column.Index >= fields.Count) return null;
        var value = layout.TrimWhitespace ? fields[column.Index].Trim() : fields[column.Index];
        if (CellValues.IsMissing(value)) return null;
        bool numeric = column.DataKind is not (DataKind.String or DataKind.Boolean);
        return numeric && CellValues.TryParseNumber(value, layout.DecimalMarker, out double number) ? number.ToString("R", CultureInfo.InvariantCulture) : value;
    }
}
