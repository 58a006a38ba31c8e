namespace Pipelines.Torch.Data;

/// <summary>The ML.NET task a trainer serves; it decides the label type, the loss and the output columns.</summary>
public enum PredictionKind
{
    BinaryClassification,
    MulticlassClassification,
    Regression,
}
