using System.Text;
using Microsoft.ML.Data;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Inference;

/// <summary>
/// Whether a validation or test file's labels are all classes of the training file: a class the model never saw makes
/// ML.NET's evaluators fail deep inside every trial, so the first such value is found up front, with its line. Both
/// files are streamed line by line with the loader's own field splitting; regression labels are not classes.
/// </summary>
public static class LabelCoverage
{
    /// <summary>The first label of <paramref name="otherFile"/> (line number, value) that no training row has; null when there is none.</summary>
    public static (long Line, string Value)? FirstUnseenLabel(ColumnInferenceResult training, string otherFile)
    {
        if (training.Task is not (PredictionKind.BinaryClassification or PredictionKind.MulticlassClassification)) return null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, value) in Labels(training, training.FilePath)) seen.Add(value);
        foreach (var (line, value) in Labels(training, otherFile))
            if (!seen.Contains(value)) return (line, value);
        return null;
    }

    /// <summary>Each data line's label, as the class it becomes (numbers by value), missing ones left out.</summary>
    static IEnumerable<(long Line, string Value)> Labels(ColumnInferenceResult layout, string path)
    {
        int index = layout.Label.Index;
        bool numeric = layout.Label.DataKind is not (DataKind.String or DataKind.Boolean);
        long lineNumber = 0;
        bool header = layout.HasHeader;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (header) { header = false; continue; }
            var fields = DelimitedLine.Split(line, layout.Separator, out _);
            if (index >= fields.Length || CellValues.IsMissing(fields[index])) continue;
            var value = fields[index];
            if (numeric && CellValues.TryParseNumber(value, layout.DecimalMarker, out double number)) value = number.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            yield return (lineNumber, value);
        }
    }
}
