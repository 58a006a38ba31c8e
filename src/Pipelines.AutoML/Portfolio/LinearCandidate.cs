using System.Text.Json.Serialization;
using Microsoft.ML.Trainers;

namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// The fast linear baseline: SDCA (logistic regression, maximum entropy, or least squares) on min-max normalized
/// features, since SDCA converges poorly on unscaled inputs.
/// </summary>
public sealed class LinearCandidate : MLNetCandidate<LinearCandidate.SearchOptions>
{
    public override string Name => "linear";

    /// <summary>What the search tunes; a null leaves the penalty to SDCA, which picks it from the data.</summary>
    public sealed class SearchOptions
    {
        [JsonPropertyName("l2_regularization"), Range(1e-6f, 10f, 1e-3f, true)] public float? L2Regularization { get; set; }
        [JsonPropertyName("l1_regularization"), Range(1e-6f, 1f, 1e-6f, true)] public float? L1Regularization { get; set; }
    }

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        var o = Read(p);
        var (l2, l1) = (o.L2Regularization, o.L1Regularization);
        var ml = c.MLContext;
        // A fixed iteration cap keeps a linear trial's cost bounded and predictable; one thread keeps SDCA
        // deterministic (its multi-threaded updates race), and a linear trial is cheap anyway.
        const int iterations = 100;
        IEstimator<ITransformer> trainer = c.Task switch
        {
            PredictionKind.BinaryClassification => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, L2Regularization = l2,
                L1Regularization = l1, MaximumNumberOfIterations = iterations, NumberOfThreads = 1,
            }),
            PredictionKind.MulticlassClassification => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, L2Regularization = l2,
                L1Regularization = l1, MaximumNumberOfIterations = iterations, NumberOfThreads = 1,
            }),
            _ => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, L2Regularization = l2,
                L1Regularization = l1, MaximumNumberOfIterations = iterations, NumberOfThreads = 1,
            }),
        };
        var pipeline = ml.Transforms.NormalizeMinMax(c.FeatureColumnName).Append(trainer);
        return new TrialFit(pipeline.Fit(c.Train));
    }
}
