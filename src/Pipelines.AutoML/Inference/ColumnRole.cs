namespace Pipelines.AutoML.Inference;

/// <summary>What a column of a data file is used for in the model.</summary>
public enum ColumnRole
{
    /// <summary>The column the model predicts.</summary>
    Label,
    /// <summary>Numbers: missing values are replaced by the mean.</summary>
    Numeric,
    /// <summary>Two values ML.NET reads as Boolean (true/false, yes/no, t/f, y/n) and no missing values: becomes 0/1.</summary>
    Boolean,
    /// <summary>A small set of strings: one-hot encoded (hashed when there are many).</summary>
    Categorical,
    /// <summary>Free text (many distinct, multi-word strings): n-gram features.</summary>
    Text,
    /// <summary>Not used as a feature; <see cref="InferredColumn.IgnoreReason"/> says why.</summary>
    Ignore,
}
