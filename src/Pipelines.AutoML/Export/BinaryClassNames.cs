using Pipelines.AutoML.Inference;

namespace Pipelines.AutoML.Export;

/// <summary>
/// The two classes of a binary label the data file writes as text ("good"/"bad"): PredictedLabel gives them, and
/// Probability is the probability of <see cref="Positive"/> (the class the featurizer maps to true).
/// </summary>
public sealed record BinaryClassNames(string Negative, string Positive)
{
    /// <summary>The classes of a binary text label; null for any other label (a Boolean or numeric one stays a bool).</summary>
    public static BinaryClassNames? From(ColumnInferenceResult columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Task != PredictionKind.BinaryClassification || columns.Label.DataKind != DataKind.String) return null;
        var positive = columns.PositiveClass
            ?? throw new ArgumentException($"Binary label '{columns.Label.Name}' has no PositiveClass.", nameof(columns));
        var negative = columns.LabelClasses.Single(c => c != positive);
        return new BinaryClassNames(negative, positive);
    }
}
