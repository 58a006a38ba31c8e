namespace Pipelines.AutoML.Inference;

/// <summary>Why a column is left out of the features.</summary>
public enum IgnoreReason
{
    /// <summary>The column is used.</summary>
    None,
    /// <summary>Every sampled row holds the same value (or every value is missing): it carries no information.</summary>
    Constant,
    /// <summary>A different value in (nearly) every row, like a row number or a key: it cannot generalize.</summary>
    IdLike,
    /// <summary>Named in the ignore list.</summary>
    UserIgnored,
}
