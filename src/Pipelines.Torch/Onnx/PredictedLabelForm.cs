namespace Pipelines.Torch.Onnx;

/// <summary>
/// What PredictedLabel holds at the end of a pipeline, for its ONNX form to give the same: the Torch model's own
/// (a Boolean, or a multiclass key), or, after a MapKeyToValue, the class values themselves.
/// </summary>
internal enum PredictedLabelForm
{
    /// <summary>As the Torch model writes it: Boolean (binary) or a UInt32 key (multiclass).</summary>
    Model,
    /// <summary>The multiclass label's values (the key mapped back, as MapKeyToValue does).</summary>
    ClassValues,
}
