using Pipelines.Torch.Onnx;
using Pipelines.Torch.Scoring;

namespace Pipelines.Torch.Ensembles;

/// <summary>
/// Several fitted models of one task as one ML.NET model: each member scores the same features, its prediction
/// (<see cref="MemberOutput"/>) is kept aside, and a fixed weighted average of them gives ML.NET's standard Score,
/// Probability and PredictedLabel. It saves and loads with <c>mlContext.Model.Save</c>/<c>Load</c> like a Torch
/// model (the average is an ONNX graph; register this assembly before loading, as for Torch models), and converts to
/// one ONNX model with <see cref="EnsemblePipelineOnnx.ConvertEnsemblePipelineToOnnx"/>.
/// </summary>
public static class WeightedEnsemble
{
    const string SavedFeatures = "PipelinesEnsembleFeatures", Combined = "PipelinesEnsembleInput";

    /// <summary>The column a member contributes: a binary member's Probability, otherwise its Score.</summary>
    public static string MemberOutput(PredictionKind kind) => kind == PredictionKind.BinaryClassification ? ScoringColumns.Probability : ScoringColumns.Score;

    /// <summary>Whether <paramref name="model"/> can be a member: it writes <see cref="MemberOutput"/> on <paramref name="data"/>.</summary>
    public static bool CanJoin(ITransformer model, IDataView data, PredictionKind kind) =>
        model.GetOutputSchema(data.Schema).GetColumnOrNull(MemberOutput(kind)) is { } column
        && (column.Type is VectorDataViewType v ? v.ItemType : column.Type) == NumberDataViewType.Single;

    /// <param name="members">Fitted models that read <paramref name="featureColumnName"/> (each may rewrite it: it is restored for the next).</param>
    /// <param name="weights">One per member, summing to 1.</param>
    /// <param name="kind">The members' task.</param>
    /// <param name="data">Data with the features and the label, for the schema (and, for multiclass, the label's classes).</param>
    /// <param name="featureColumnName">The column the members read.</param>
    /// <param name="labelColumnName">The label column of <paramref name="data"/>.</param>
    public static WeightedEnsembleModel Build(IReadOnlyList<ITransformer> members, IReadOnlyList<double> weights, PredictionKind kind, IDataView data,
        string featureColumnName = "Features", string labelColumnName = "Label")
    {
        if (members.Count == 0 || members.Count != weights.Count) throw new ArgumentException("An ensemble needs one weight for each of at least one member.", nameof(weights));
        var ml = new MLContext();
        var label = ColumnContract.FromSchema(data.Schema, kind, featureColumnName, labelColumnName);
        var steps = new List<ITransformer>();
        var current = data;
        ITransformer Add(ITransformer step)
        {
            steps.Add(step);
            current = step.Transform(current);
            return step;
        }
        IEstimator<ITransformer> Copy(string output, string input) => ml.Transforms.CopyColumns(output, input);

        Add(Copy(SavedFeatures, featureColumnName).Fit(current));
        var outputs = new List<string>();
        for (int i = 0; i < members.Count; i++)
        {
            if (i > 0) Add(Copy(featureColumnName, SavedFeatures).Fit(current));
            Add(members[i]);
            outputs.Add($"PipelinesEnsembleMember{i}");
            Add(Copy(outputs[i], MemberOutput(kind)).Fit(current));
        }
        Add(Copy(featureColumnName, SavedFeatures).Fit(current));
        var predictions = new[] { ScoringColumns.Score, ScoringColumns.Probability, ScoringColumns.PredictedLabel }.Where(n => current.Schema.GetColumnOrNull(n) != null);
        Add(ml.Transforms.DropColumns(predictions.ToArray()).Fit(current));
        Add(ml.Transforms.Concatenate(Combined, outputs.ToArray()).Fit(current));

        int width = kind == PredictionKind.MulticlassClassification ? label.ClassCount : 1;
        var contract = label with { FeatureColumnName = Combined, Dimension = members.Count * width };
        Add(ScoringChain.Build(EnsembleOnnx.Combiner(contract, weights), contract, current));
        Add(ml.Transforms.DropColumns(outputs.Append(Combined).Append(SavedFeatures).ToArray()).Fit(current));
        return new WeightedEnsembleModel(new TransformerChain<ITransformer>(steps.ToArray()), members.ToList(), weights.ToList(), contract);
    }
}
