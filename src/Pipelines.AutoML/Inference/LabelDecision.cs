namespace Pipelines.AutoML.Inference;

/// <summary>What the label column means: the task, how it is loaded, its classes and, for binary, which value is "true".</summary>
internal sealed record LabelDecision(
    PredictionKind Task,
    DataKind DataKind,
    IReadOnlyList<string> Classes,
    string? PositiveClass,
    string Explanation);
