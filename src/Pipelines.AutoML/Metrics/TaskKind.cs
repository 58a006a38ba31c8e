namespace Pipelines.AutoML.Metrics;

/// <summary>The ML task of an experiment.</summary>
public enum TaskKind
{
    BinaryClassification,
    MulticlassClassification,
    Regression,
}
