using Microsoft.ML.Data;
using Pipelines.Torch.Data;
using Pipelines.Torch.Scoring;

namespace Pipelines.Torch.Onnx;

/// <summary>What the steps after the Torch model do to PredictedLabel, for the ONNX graph to do the same.</summary>
internal static class PredictedLabelSteps
{
    /// <summary>
    /// Reads the steps after the Torch model (<paramref name="first"/> on): each may only map PredictedLabel, as
    /// ModelExport.ForPrediction's MapKeyToValue does. Anything else has no ONNX form here, and the message names it.
    /// </summary>
    public static PredictedLabelForm Read(PipelineSteps pipeline, int first, ColumnContract contract)
    {
        var form = PredictedLabelForm.Model;
        for (int i = first; i < pipeline.Steps.Count; i++)
        {
            var written = pipeline.Written(i);
            var before = pipeline.Schemas[i].GetColumnOrNull(ScoringColumns.PredictedLabel)?.Type;
            var after = pipeline.Schemas[i + 1].GetColumnOrNull(ScoringColumns.PredictedLabel)?.Type;
            bool keyToValue = written.Count == 1 && written[0] == ScoringColumns.PredictedLabel
                && form == PredictedLabelForm.Model && before is KeyDataViewType
                && contract.Classes is { } classes && classes.ValueType.Equals(after);
            if (!keyToValue)
                throw new NotSupportedException(
                    $"{pipeline.Describe(i)} comes after the Torch model and has no ONNX form here: after the model, only mapping " +
                    "the multiclass PredictedLabel key back to its value (MapKeyToValue) is converted.");
            form = PredictedLabelForm.ClassValues;
        }
        return form;
    }
}
