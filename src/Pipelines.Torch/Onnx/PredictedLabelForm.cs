namespace Pipelines.Torch.Onnx;

/// <summary>
/// What PredictedLabel holds at the end of a pipeline, for its ONNX form to give the same: the Torch model's own (a
/// Boolean, or a multiclass key), the multiclass label's values (after a MapKeyToValue), or binary class names
/// (after a mapping of the Boolean to the data file's two classes).
/// </summary>
internal sealed record PredictedLabelForm
{
    /// <summary>As the Torch model writes it: Boolean (binary) or a UInt32 key (multiclass).</summary>
    public static PredictedLabelForm AsModel { get; } = new();

    /// <summary>The multiclass label's values: the key mapped back, as MapKeyToValue does.</summary>
    public static PredictedLabelForm ClassValues { get; } = new() { MapsKeyToValue = true };

    public bool MapsKeyToValue { get; private init; }

    /// <summary>Binary: the names PredictedLabel takes for false and for true, in that order.</summary>
    public IReadOnlyList<string>? BinaryNames { get; private init; }

    public static PredictedLabelForm Names(string whenFalse, string whenTrue) => new() { BinaryNames = new[] { whenFalse, whenTrue } };
}
