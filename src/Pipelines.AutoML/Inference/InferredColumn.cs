namespace Pipelines.AutoML.Inference;

/// <summary>One column of a data file as inference sees it. Statistics are over the sampled rows.</summary>
public sealed record InferredColumn
{
    /// <summary>0-based position of the field in a line.</summary>
    public required int Index { get; init; }
    /// <summary>The ML.NET column name: the header's name, made unique (a repeated name gets _2, _3, ...).</summary>
    public required string Name { get; init; }
    /// <summary>The name in the file's header (colN without a header).</summary>
    public required string OriginalName { get; init; }
    public required ColumnRole Role { get; init; }
    public IgnoreReason IgnoreReason { get; init; }
    /// <summary>How the TextLoader reads the column: Single, Boolean or String.</summary>
    public required DataKind DataKind { get; init; }
    /// <summary>Sampled rows where the field is empty, "?", "NA", "N/A", "NaN" or "null" (any case).</summary>
    public int MissingCount { get; init; }
    /// <summary>Distinct present values in the sample (numbers compared as numbers).</summary>
    public int Cardinality { get; init; }
    /// <summary>Why the role was chosen, in words (for logs and the CLI).</summary>
    public string Explanation { get; init; } = "";

    /// <summary>Whether <see cref="Featurizer"/> turns the column into features.</summary>
    public bool IsFeature => Role is ColumnRole.Numeric or ColumnRole.Boolean or ColumnRole.Categorical or ColumnRole.Text;
}
