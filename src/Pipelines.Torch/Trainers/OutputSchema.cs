namespace Pipelines.Torch.Trainers;

/// <summary>The estimator-level schema contract: which input columns a trainer needs and which columns it adds.</summary>
internal static class OutputSchema
{
    // SchemaShape columns cannot be constructed outside ML.NET, so the output shape is taken from an ML.NET trainer
    // with the same output contract (never fitted): the columns, types and annotations then match ML.NET's exactly.
    static readonly MLContext Reference = new();

    public static SchemaShape For(SchemaShape input, PredictionKind kind, string featureColumn, string labelColumn)
    {
        var feature = Find(input, featureColumn, "feature");
        if (feature.ItemType != NumberDataViewType.Single || feature.Kind != SchemaShape.Column.VectorKind.Vector)
            throw new ArgumentException($"Feature column '{featureColumn}' must be a known-size vector of Single; it is a {feature.Kind} of {feature.ItemType}.");
        var label = Find(input, labelColumn, "label");
        string expected = kind switch
        {
            PredictionKind.BinaryClassification when label.ItemType is not BooleanDataViewType || label.Kind != SchemaShape.Column.VectorKind.Scalar => "Boolean",
            PredictionKind.MulticlassClassification when !label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar => $"a key type (add MapValueToKey(\"{labelColumn}\"))",
            PredictionKind.Regression when label.ItemType != NumberDataViewType.Single || label.Kind != SchemaShape.Column.VectorKind.Scalar => "Single",
            _ => "",
        };
        if (expected.Length > 0)
            throw new ArgumentException($"Label column '{labelColumn}' must be {expected} for {kind}; it is a {label.Kind} of {label.ItemType}.");

        IEstimator<ITransformer> reference = kind switch
        {
            PredictionKind.BinaryClassification => Reference.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumn, featureColumn),
            PredictionKind.MulticlassClassification => Reference.MulticlassClassification.Trainers.LbfgsMaximumEntropy(labelColumn, featureColumn),
            _ => Reference.Regression.Trainers.Sdca(labelColumn, featureColumn),
        };
        return reference.GetOutputSchema(input);
    }

    static SchemaShape.Column Find(SchemaShape shape, string name, string role)
    {
        foreach (var column in shape)
            if (column.Name == name) return column;
        throw new ArgumentException($"The {role} column '{name}' is not in the input. It has: {string.Join(", ", shape.Select(c => $"'{c.Name}'"))}.");
    }
}
