using Microsoft.ML;
using Microsoft.ML.Trainers;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.SearchSpaces;

namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// The fast linear baseline: SDCA (logistic regression, maximum entropy, or least squares) on min-max normalized
/// features, since SDCA converges poorly on unscaled inputs.
/// </summary>
public sealed class LinearCandidate : TrainerCandidate
{
    public override string Name => "linear";
    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => new SearchSpaceBuilder()
        .Float("l2_regularization", 1e-6f, 10f, logBase: true, defaultValue: 1e-3f)
        .Float("l1_regularization", 1e-6f, 1f, logBase: true, defaultValue: 1e-6f)
        .Build();

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        float l2 = Get(p, "l2_regularization", 1e-3f, v => v.AsFloat());
        float l1 = Get(p, "l1_regularization", 1e-6f, v => v.AsFloat());
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
