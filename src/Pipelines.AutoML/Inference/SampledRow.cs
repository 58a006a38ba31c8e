namespace Pipelines.AutoML.Inference;

/// <summary>One data row kept for inference, with its 1-based line in the file for error messages.</summary>
internal readonly record struct SampledRow(long LineNumber, string[] Fields);
