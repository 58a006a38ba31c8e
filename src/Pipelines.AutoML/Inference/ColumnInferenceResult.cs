namespace Pipelines.AutoML.Inference;

/// <summary>
/// What <see cref="ColumnInference.InferColumns"/> found in a data file: how to read it, what each column is for, and
/// the task. A record, so a caller can adjust a decision: <c>result with { Columns = ... }</c>.
/// </summary>
public sealed record ColumnInferenceResult
{
    /// <summary>The data file, as a full path.</summary>
    public required string FilePath { get; init; }
    public required char Separator { get; init; }
    public required bool HasHeader { get; init; }
    /// <summary>Fields may be quoted ("a, b"); quotes only matter at the start of a field, so this is always on, as in mlnet.</summary>
    public bool AllowQuoting { get; init; } = true;
    /// <summary>Fields are padded with spaces (", " files): ML.NET skips spaces before a field, this trims them at line ends.</summary>
    public bool TrimWhitespace { get; init; }
    /// <summary>',' for files written with decimal commas ("3,14"; only when the separator is not a comma).</summary>
    public char DecimalMarker { get; init; } = '.';
    /// <summary>Every column of the file, in file order; exactly one has <see cref="ColumnRole.Label"/>.</summary>
    public required IReadOnlyList<InferredColumn> Columns { get; init; }
    public required PredictionKind Task { get; init; }
    /// <summary>The task was given by the caller rather than detected.</summary>
    public bool TaskWasForced { get; init; }
    /// <summary>Why this task, in words.</summary>
    public string TaskExplanation { get; init; } = "";
    /// <summary>Classification: the label's distinct values in the sample, numbers by value, strings ordinally.</summary>
    public IReadOnlyList<string> LabelClasses { get; init; } = Array.Empty<string>();
    /// <summary>Binary classification: the label value that becomes true.</summary>
    public string? PositiveClass { get; init; }
    /// <summary>How missing labels were written in the sample; <see cref="LoadData"/> drops those rows.</summary>
    public IReadOnlyList<string> LabelMissingSpellings { get; init; } = Array.Empty<string>();
    /// <summary>Data rows the statistics come from (a uniform sample when the file has more).</summary>
    public int SampledRowCount { get; init; }
    /// <summary>Data rows in the whole file (blank lines and the header not counted).</summary>
    public long DataRowCount { get; init; }

    public InferredColumn Label => Columns.Single(c => c.Role == ColumnRole.Label);

    /// <summary>The columns that become features, in file order.</summary>
    public IEnumerable<InferredColumn> FeatureColumns => Columns.Where(c => c.IsFeature);

    public IEnumerable<InferredColumn> ColumnsWithRole(ColumnRole role) => Columns.Where(c => c.Role == role);

    /// <summary>Options that load every column (ignored ones as String) under its <see cref="InferredColumn.Name"/>. A new object on each call.</summary>
    public TextLoader.Options TextLoaderOptions => new()
    {
        Separators = new[] { Separator },
        HasHeader = HasHeader,
        AllowQuoting = AllowQuoting,
        TrimWhitespace = TrimWhitespace,
        DecimalMarker = DecimalMarker,
        Columns = Columns.Select(c => new TextLoader.Column(c.Name, c.DataKind, c.Index)).ToArray(),
    };

    public TextLoader CreateLoader(MLContext ml) => ml.Data.CreateTextLoader(TextLoaderOptions);

    /// <summary>
    /// Loads <paramref name="path"/> (default: the inferred file; a validation or test file with the same layout
    /// works too) and drops the rows whose label is missing, which no trainer can learn from.
    /// </summary>
    public IDataView LoadData(MLContext ml, string? path = null)
    {
        var data = CreateLoader(ml).Load(path ?? FilePath);
        var label = Label;
        switch (label.DataKind)
        {
            case DataKind.Single:
                return ml.Data.FilterRowsByMissingValues(data, label.Name);
            case DataKind.String:
                // Strings have no NaN: mark the missing spellings with one, filter, and drop the marker.
                var marker = ColumnNames.Unique("LabelIsMissing", new HashSet<string>(Columns.Select(c => c.Name)));
                var spellings = CellValues.MissingTokens
                    .SelectMany(t => new[] { t, t.ToLowerInvariant(), t.ToUpperInvariant() })
                    .Concat(LabelMissingSpellings)
                    .Distinct(StringComparer.Ordinal)
                    .Select(s => new KeyValuePair<string, float>(s, float.NaN));
                var marked = ml.Transforms.Conversion.MapValue(marker, spellings, label.Name).Fit(data).Transform(data);
                var present = ml.Data.FilterRowsByMissingValues(marked, marker);
                return ml.Transforms.DropColumns(marker).Fit(present).Transform(present);
            default:
                return data;
        }
    }
}
