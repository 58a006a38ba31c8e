using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.SearchSpaces;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's LightGBM trainers (binary, multiclass and regression).</summary>
public sealed class LightGbmCandidate : TrainerCandidate
{
    public override string Name => "lightgbm";
    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => new SearchSpaceBuilder()
        .Int("number_of_leaves", 4, 1024, logBase: true, defaultValue: 31)
        .Int("number_of_iterations", 4, 1000, logBase: true, defaultValue: 100)
        .Int("minimum_example_count_per_leaf", 2, 128, logBase: true, defaultValue: 20)
        .Double("learning_rate", 1e-3, 1, logBase: true, defaultValue: 0.1)
        .Double("l2_regularization", 1e-6, 10, logBase: true, defaultValue: 1e-2)
        .Build();

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        int leaves = Get(p, "number_of_leaves", 31, v => v.AsInt());
        int iterations = Get(p, "number_of_iterations", 100, v => v.AsInt());
        int minLeaf = Get(p, "minimum_example_count_per_leaf", 20, v => v.AsInt());
        double rate = Get(p, "learning_rate", 0.1, v => v.AsDouble());
        double l2 = Get(p, "l2_regularization", 1e-2, v => v.AsDouble());
        var ml = c.MLContext;
        IEstimator<ITransformer> trainer = c.Task switch
        {
            PredictionKind.BinaryClassification => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = leaves,
                NumberOfIterations = iterations, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate,
                Booster = new GradientBooster.Options { L2Regularization = l2 }, Seed = c.Seed, NumberOfThreads = c.Threads,
            }),
            PredictionKind.MulticlassClassification => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = leaves,
                NumberOfIterations = iterations, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate,
                Booster = new GradientBooster.Options { L2Regularization = l2 }, Seed = c.Seed, NumberOfThreads = c.Threads,
            }),
            _ => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = leaves,
                NumberOfIterations = iterations, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate,
                Booster = new GradientBooster.Options { L2Regularization = l2 }, Seed = c.Seed, NumberOfThreads = c.Threads,
            }),
        };
        return new TrialFit(trainer.Fit(c.Train));
    }
}
