using System.Text;

namespace Pipelines.AutoML.Inference;

/// <summary>
/// One pass over a whole data file: checks that every data line has the expected number of fields, counts the data
/// rows and keeps a uniform random sample of them (reservoir sampling with a fixed seed, so a file sorted by label
/// still shows every class). Blank lines are skipped, as ML.NET's TextLoader skips them.
/// </summary>
internal sealed class DataFileScan
{
    const int MaxLineTextInErrors = 200;

    public required IReadOnlyList<SampledRow> Sample { get; init; }
    public required long DataRowCount { get; init; }
    /// <summary>Whether any field had spaces around it (", " separated files).</summary>
    public required bool FieldsArePadded { get; init; }

    /// <summary>The first lines that are not blank, to detect the separator and the header.</summary>
    public static List<(long LineNumber, string Text)> ReadLeadingLines(string path, int count)
    {
        var lines = new List<(long, string)>();
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            lines.Add((lineNumber, line));
            if (lines.Count == count) break;
        }
        return lines;
    }

    public static DataFileScan Read(string path, char separator, bool hasHeader, int expectedFieldCount, int sampleRows)
    {
        var sample = new List<SampledRow>();
        var random = new Random(0);
        long lineNumber = 0, dataRows = 0;
        long? headerLine = null;
        bool padded = false;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (hasHeader && headerLine is null) { headerLine = lineNumber; continue; }

            // Only sampled lines are split into strings; the others are just counted.
            int fieldCount = DelimitedLine.CountFields(line, separator, out bool linePadded);
            padded |= linePadded;
            if (fieldCount != expectedFieldCount)
                throw RaggedRow(path, lineNumber, line, separator, expectedFieldCount, fieldCount, headerLine);

            dataRows++;
            long slot = sample.Count < sampleRows ? sample.Count : random.NextInt64(dataRows);
            if (slot >= sampleRows) continue;
            var row = new SampledRow(lineNumber, DelimitedLine.Split(line, separator, out _));
            if (slot == sample.Count) sample.Add(row);
            else sample[(int)slot] = row;
        }
        sample.Sort((a, b) => a.LineNumber.CompareTo(b.LineNumber));
        return new DataFileScan { Sample = sample, DataRowCount = dataRows, FieldsArePadded = padded };
    }

    static ColumnInferenceException RaggedRow(string path, long lineNumber, string line, char separator, int expected, int actual, long? headerLine)
    {
        var text = line.Length <= MaxLineTextInErrors ? line : line[..MaxLineTextInErrors] + "...";
        var reference = headerLine is long h ? $"the header on line {h} has {expected}" : $"most lines have {expected}";
        return new ColumnInferenceException(
            $"{path}, line {lineNumber}: expected {expected} fields but found {actual} ({reference}; separator " +
            $"{SeparatorDetection.Describe(separator)}). Line text: \"{text}\". Fix or remove the line, quote fields " +
            "that contain the separator, or pass the right separator.",
            path, lineNumber);
    }
}
