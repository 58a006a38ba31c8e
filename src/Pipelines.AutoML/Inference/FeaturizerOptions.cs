namespace Pipelines.AutoML.Inference;

/// <summary>Choices for <see cref="Featurizer.Build"/>.</summary>
public sealed class FeaturizerOptions
{
    /// <summary>The Single vector column that holds every feature.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The label column the trainer reads: Boolean (binary), key (multiclass) or Single (regression).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Rescaling of the feature vector; linear trainers (SDCA, L-BFGS) need it, trees do not.</summary>
    public FeatureNormalization Normalize { get; set; } = FeatureNormalization.None;

    /// <summary>
    /// Adds a 0/1 feature next to each numeric column that had missing values in the sample, so a model can tell a
    /// replaced mean from a real one.
    /// </summary>
    public bool AddMissingIndicators { get; set; }

    /// <summary>
    /// Categorical columns with more distinct values than this are hashed instead of one-hot encoded, which bounds
    /// the feature vector (ML.NET's AutoML switches at 100 too).
    /// </summary>
    public int MaxOneHotCategories { get; set; } = 100;

    /// <summary>Bits of the hash for high-cardinality categorical columns: 2^bits slots per column.</summary>
    public int HashBits { get; set; } = 8;
}
