namespace Pipelines.AutoML.Export;

/// <summary>
/// The ONNX form of a model, or why there is none. Not every ML.NET transform converts to ONNX, so a failed
/// conversion is an answer to report, not an error.
/// </summary>
public sealed record OnnxExportResult
{
    /// <summary>The ONNX model bytes; null when the model could not be converted.</summary>
    public byte[]? Model { get; init; }

    /// <summary>What the graph computes and what it takes as input, in words, when it was converted.</summary>
    public string Description { get; init; } = "";

    /// <summary>Why the model could not be converted, when it could not.</summary>
    public string? Failure { get; init; }

    public bool Succeeded => Model != null;
}
