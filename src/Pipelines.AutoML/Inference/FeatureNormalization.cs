namespace Pipelines.AutoML.Inference;

/// <summary>How <see cref="Featurizer"/> rescales the feature vector.</summary>
public enum FeatureNormalization
{
    /// <summary>No rescaling: right for tree trainers, and for TorchMlp, which standardizes its inputs itself.</summary>
    None,
    /// <summary>Each slot to [0, 1] (ML.NET NormalizeMinMax).</summary>
    MinMax,
    /// <summary>Each slot to zero mean and unit variance (ML.NET NormalizeMeanVariance).</summary>
    MeanVariance,
}
