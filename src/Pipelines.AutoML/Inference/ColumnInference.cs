
namespace Pipelines.AutoML.Inference;

/// <summary>
/// Reads a delimited text file and decides how to load it and what each column is for: our replacement for
/// Microsoft.ML.AutoML's InferColumns, which we cannot reference.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> The separator is the one of , tab ; | space that splits the first 200 non-blank lines into
/// the same number (more than one) of fields most often; ties go in that order (a ", " file splits evenly on ','
/// and on ' ', and is comma separated). Fields are split as ML.NET's TextLoader splits them: spaces before a field
/// skipped, double quotes around a field allowed. The first line is a header when it holds the label name;
/// otherwise when its fields are unique, non-empty and not numbers, and no column contradicts that (a Boolean
/// column whose first field is also a Boolean, a text column whose first field reappears below). Without a header
/// the columns are named col0, col1, ... as mlnet names them. Every data line of the file is then checked for the
/// header's (or the usual) field count, and a uniform sample of <c>sampleRows</c> rows is kept.</para>
/// <para><b>Missing values</b> are empty fields, "?", "NA", "N/A", "NaN" and "null", in any case.</para>
/// <para><b>Feature roles</b>, from the sampled present values (n of them, d distinct):
/// all missing, or one value and never missing: Ignore (constant).
/// All numbers: Numeric, unless whole, unique, never missing, n &gt;= 20, and sorted, dense (max - min &lt; 2n) or
/// named like an id: Ignore (id-like). Numbers 0/1 stay Numeric, as in mlnet.
/// Boolean spellings (true/false, yes/no, t/f, y/n) and never missing: Boolean.
/// Strings: Text when multi-word (2+ words or 30+ characters on average) and d &gt; max(20, n/20) or d/n &gt;= 0.5;
/// otherwise Categorical when d &lt;= max(20, n/20); otherwise Ignore (id-like) when n &gt;= 20 and d/n &gt;= 0.9;
/// otherwise Categorical (hashed by the featurizer when d is large).</para>
/// <para><b>Task</b>, as mlnet reads a label: two distinct values: binary classification (a label of Boolean
/// spellings, 0/1 included, loads as Boolean; any other pair is mapped, the rarer value being true). Numbers:
/// multiclass when all whole and at most 20 distinct (digits 0-9), otherwise regression. Other strings: multiclass.
/// A forced task is checked: regression needs numbers, binary needs exactly two values. A label with one value,
/// or none, is an error.</para>
/// <para>Values outside the sample are not inspected: a Boolean column (or label) that holds "?" only further down
/// makes ML.NET's loader throw, naming the line; raise <c>sampleRows</c> to inspect more of a big file.</para>
/// </remarks>
public static class ColumnInference
{
    const int LeadingLinesForLayout = 200;

    /// <summary>
    /// The fields of the first non-blank line of <paramref name="path"/>, split as the loader splits them (quoted
    /// fields may hold the separator), unquoted and trimmed; null for a file with no such line.
    /// </summary>
    public static IReadOnlyList<string>? FirstLineFields(string path, char separator)
    {
        var first = File.ReadLines(path).FirstOrDefault(line => !string.IsNullOrWhiteSpace(line));
        return first == null ? null : DelimitedLine.Split(first, separator, out _);
    }

    /// <summary>Infers the layout, the column roles and the task of a CSV/TSV file.</summary>
    /// <param name="path">The data file.</param>
    /// <param name="labelColumnName">The label's name in the header (colN for a file without one); case-insensitive if unambiguous.</param>
    /// <param name="separator">The field separator; detected when null.</param>
    /// <param name="hasHeader">Whether the first line holds names; detected when null.</param>
    /// <param name="ignoreColumns">Columns to leave out of the features.</param>
    /// <param name="sampleRows">Rows the statistics are computed on; the whole file is still checked for ragged lines.</param>
    /// <param name="task">Forces the task instead of detecting it.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ColumnNotFoundException">The label or an ignored column is not in the file.</exception>
    /// <exception cref="ColumnInferenceException">The file is empty or ragged, or the label does not fit the task.</exception>
    public static ColumnInferenceResult InferColumns(string path, string labelColumnName, char? separator = null, bool? hasHeader = null,
        IEnumerable<string>? ignoreColumns = null, int sampleRows = 10000, PredictionKind? task = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRows, 1);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Data file '{fullPath}' was not found.", fullPath);

        var (sep, header, fieldCount, headerRow, headerLine) = Layout(fullPath, separator, hasHeader, labelColumnName);
        var scan = DataFileScan.Read(fullPath, sep, header, fieldCount, sampleRows);
        if (scan.DataRowCount == 0)
            throw new ColumnInferenceException(
                $"Data file '{fullPath}' has no data rows{(header ? $": only the header line ({headerLine})" : "")}.", fullPath);

        var originals = ColumnNames.Original(header ? headerRow : null, fieldCount);
        int labelIndex = FindColumn(labelColumnName, originals, fullPath, header, "Label column");
        var ignored = (ignoreColumns ?? Enumerable.Empty<string>())
            .Select(c => FindColumn(c, originals, fullPath, header, "Column to ignore"))
            .ToHashSet();
        if (ignored.Contains(labelIndex))
            throw new ColumnInferenceException(
                $"Column '{originals[labelIndex]}' of '{fullPath}' is the label, so it cannot also be ignored: remove it from the columns to ignore (--ignore-cols).", fullPath);
        var names = ColumnNames.Unique(originals, labelIndex);

        char decimalMarker = CellValues.DetectDecimalMarker(scan.Sample.SelectMany(r => r.Fields), sep);
        var profiles = Enumerable.Range(0, fieldCount).Select(i => ColumnProfile.Build(scan.Sample, i, decimalMarker)).ToArray();
        var label = LabelTaskRules.Decide(profiles[labelIndex], originals[labelIndex], fullPath, task);

        var columns = Enumerable.Range(0, fieldCount).Select(i => i == labelIndex
                ? new InferredColumn
                {
                    Index = i, Name = names[i], OriginalName = originals[i], Role = ColumnRole.Label, DataKind = label.DataKind,
                    MissingCount = profiles[i].MissingCount, Cardinality = profiles[i].Cardinality, Explanation = label.Explanation,
                }
                : ignored.Contains(i) ? Ignored(i, names[i], originals[i], profiles[i])
                : ColumnRoleRules.Decide(i, names[i], originals[i], profiles[i]))
            .ToList();

        return new ColumnInferenceResult
        {
            FilePath = fullPath,
            Separator = sep,
            HasHeader = header,
            TrimWhitespace = scan.FieldsArePadded,
            DecimalMarker = decimalMarker,
            Columns = columns,
            Task = label.Task,
            TaskWasForced = task is not null,
            TaskExplanation = label.Explanation,
            LabelClasses = label.Classes,
            PositiveClass = label.PositiveClass,
            LabelMissingSpellings = profiles[labelIndex].MissingSpellings.Order(StringComparer.Ordinal).ToList(),
            SampledRowCount = scan.Sample.Count,
            DataRowCount = scan.DataRowCount,
        };
    }

    /// <summary>The separator, whether there is a header, the number of fields, the header's fields and its line number.</summary>
    static (char Separator, bool Header, int FieldCount, string[] FirstRow, long FirstLine) Layout(string fullPath, char? separator, bool? hasHeader, string labelColumnName)
    {
        var leading = DataFileScan.ReadLeadingLines(fullPath, LeadingLinesForLayout);
        if (leading.Count == 0)
            throw new ColumnInferenceException($"Data file '{fullPath}' is empty: it has no line with data.", fullPath);
        char sep = separator ?? SeparatorDetection.Detect(leading.Select(l => l.Text).ToList());
        var leadingRows = leading.Select(l => DelimitedLine.Split(l.Text, sep, out _)).ToList();
        bool header = hasHeader ?? HeaderDetection.LooksLikeHeader(leadingRows[0], leadingRows.Skip(1).ToList(), labelColumnName);
        int fieldCount = header ? leadingRows[0].Length : SeparatorDetection.ModeFieldCount(leadingRows);
        return (sep, header, fieldCount, leadingRows[0], leading[0].LineNumber);
    }

    static InferredColumn Ignored(int index, string name, string original, ColumnProfile profile) => new()
    {
        Index = index, Name = name, OriginalName = original, Role = ColumnRole.Ignore, IgnoreReason = IgnoreReason.UserIgnored,
        DataKind = Microsoft.ML.Data.DataKind.String, MissingCount = profile.MissingCount, Cardinality = profile.Cardinality,
        Explanation = "ignored as requested",
    };

    static int FindColumn(string requested, string[] originals, string path, bool hasHeader, string what)
    {
        int index = ColumnNames.Find(requested, originals);
        if (index >= 0) return index;

        var suggestion = ColumnNames.Closest(requested, originals);
        var hint = suggestion is null ? "" : $" Did you mean '{suggestion}'?";
        var headerNote = hasHeader ? "" : " No header line was detected, so columns are named col0, col1, ...; pass hasHeader: true if the first line holds names.";
        throw new ColumnNotFoundException(
            $"{what} '{requested}' was not found in {path}.{hint} The columns are: {string.Join(", ", originals)}.{headerNote}",
            path, requested, originals, suggestion);
    }
}
