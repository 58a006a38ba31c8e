namespace Pipelines.AutoML.Inference;

/// <summary>A column named by the user (label or ignored column) is not in the file; the message lists the columns.</summary>
public sealed class ColumnNotFoundException : ColumnInferenceException
{
    public ColumnNotFoundException(string message, string filePath, string columnName, IReadOnlyList<string> availableColumns, string? suggestion)
        : base(message, filePath)
    {
        ColumnName = columnName;
        AvailableColumns = availableColumns;
        Suggestion = suggestion;
    }

    /// <summary>The name that was asked for.</summary>
    public string ColumnName { get; }

    /// <summary>The column names the file has, in file order.</summary>
    public IReadOnlyList<string> AvailableColumns { get; }

    /// <summary>The closest existing name when one is close enough to be a likely typo.</summary>
    public string? Suggestion { get; }
}
