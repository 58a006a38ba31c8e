namespace Pipelines.AutoML.Inference;

/// <summary>A data file cannot be read as a table, or its label does not fit the task. The message says where and why.</summary>
public class ColumnInferenceException : Exception
{
    public ColumnInferenceException(string message, string? filePath = null, long? lineNumber = null) : base(message)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The data file, when the problem is in a file.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line of the file where the problem is, when it is on one line.</summary>
    public long? LineNumber { get; }
}
