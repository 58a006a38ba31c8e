using Pipelines.Torch.Scoring;

namespace Pipelines.Torch.Onnx;

/// <summary>What the steps after the Torch model do to PredictedLabel, for the ONNX graph to do the same.</summary>
internal static class PredictedLabelSteps
{
    /// <summary>
    /// Reads the steps after the Torch model (<paramref name="first"/> on). They may only map PredictedLabel: the
    /// multiclass key back to its value (MapKeyToValue), or the binary Boolean to two class names (any steps that do
    /// that, found by running them on false and true). Anything else has no ONNX form here, and the message names it.
    /// </summary>
    public static PredictedLabelForm Read(PipelineSteps pipeline, int first, ColumnContract contract)
    {
        if (first == pipeline.Steps.Count) return PredictedLabelForm.AsModel;
        return contract.Kind == PredictionKind.BinaryClassification
            ? BinaryNames(pipeline, first)
            : KeyToValue(pipeline, first, contract);
    }

    static PredictedLabelForm KeyToValue(PipelineSteps pipeline, int first, ColumnContract contract)
    {
        var form = PredictedLabelForm.AsModel;
        for (int i = first; i < pipeline.Steps.Count; i++)
        {
            var written = pipeline.Written(i);
            var before = pipeline.Schemas[i].GetColumnOrNull(ScoringColumns.PredictedLabel)?.Type;
            var after = pipeline.Schemas[i + 1].GetColumnOrNull(ScoringColumns.PredictedLabel)?.Type;
            bool keyToValue = written.Count == 1 && written[0] == ScoringColumns.PredictedLabel
                && form == PredictedLabelForm.AsModel && before is KeyDataViewType
                && contract.Classes is { } classes && classes.ValueType.Equals(after);
            if (!keyToValue)
                throw Unsupported(pipeline, i, "mapping the multiclass PredictedLabel key back to its value (MapKeyToValue)");
            form = PredictedLabelForm.ClassValues;
        }
        return form;
    }

    static PredictedLabelForm BinaryNames(PipelineSteps pipeline, int first)
    {
        const string what = "mapping the binary PredictedLabel to two class names (text)";
        for (int i = first; i < pipeline.Steps.Count; i++)
            if (pipeline.Written(i).Any(c => c is ScoringColumns.Score or ScoringColumns.Probability))
                throw Unsupported(pipeline, i, what);
        if (pipeline.Schemas[^1].GetColumnOrNull(ScoringColumns.PredictedLabel)?.Type is not TextDataViewType)
            throw Unsupported(pipeline, first, what);

        var ml = new MLContext();
        IDataView mapped;
        try
        {
            var probe = ml.Data.LoadFromEnumerable(new[] { new BooleanPrediction { PredictedLabel = false }, new BooleanPrediction { PredictedLabel = true } });
            mapped = pipeline.Range(first, pipeline.Steps.Count).Transform(probe);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The steps read more than PredictedLabel.
            throw Unsupported(pipeline, first, what, e);
        }
        var names = mapped.GetColumn<string>(ScoringColumns.PredictedLabel).ToArray();
        return PredictedLabelForm.Names(names[0], names[1]);
    }

    static NotSupportedException Unsupported(PipelineSteps pipeline, int step, string supported, Exception? inner = null) =>
        new($"{pipeline.Describe(step)} comes after the Torch model and has no ONNX form here: after the model, only {supported} is converted.", inner);

    sealed class BooleanPrediction
    {
        public bool PredictedLabel { get; set; }
    }
}
