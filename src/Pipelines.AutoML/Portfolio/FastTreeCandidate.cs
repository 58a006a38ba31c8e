using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.SearchSpaces;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's FastTree (gradient-boosted trees); multiclass through one-versus-all, as Microsoft's AutoML does.</summary>
public sealed class FastTreeCandidate : TrainerCandidate
{
    public override string Name => "fasttree";
    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => new SearchSpaceBuilder()
        .Int("number_of_leaves", 4, 1024, logBase: true, defaultValue: 20)
        .Int("number_of_trees", 4, 1000, logBase: true, defaultValue: 100)
        .Int("minimum_example_count_per_leaf", 2, 128, logBase: true, defaultValue: 10)
        .Double("learning_rate", 1e-3, 1, logBase: true, defaultValue: 0.2)
        .Double("feature_fraction", 0.5, 1, defaultValue: 1)
        .Build();

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        int leaves = Get(p, "number_of_leaves", 20, v => v.AsInt());
        int trees = Get(p, "number_of_trees", 100, v => v.AsInt());
        int minLeaf = Get(p, "minimum_example_count_per_leaf", 10, v => v.AsInt());
        double rate = Get(p, "learning_rate", 0.2, v => v.AsDouble());
        double fraction = Get(p, "feature_fraction", 1.0, v => v.AsDouble());
        var ml = c.MLContext;
        IEstimator<ITransformer> trainer = c.Task switch
        {
            PredictionKind.Regression => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = leaves,
                NumberOfTrees = trees, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate, FeatureFraction = fraction,
                Seed = c.Seed, NumberOfThreads = c.Threads,
            }),
            PredictionKind.BinaryClassification => Binary(ml, c, leaves, trees, minLeaf, rate, fraction, c.LabelColumnName),
            _ => ml.MulticlassClassification.Trainers.OneVersusAll(Binary(ml, c, leaves, trees, minLeaf, rate, fraction, c.LabelColumnName), c.LabelColumnName),
        };
        return new TrialFit(trainer.Fit(c.Train));
    }

    static FastTreeBinaryTrainer Binary(MLContext ml, TrialFitContext c, int leaves, int trees, int minLeaf, double rate, double fraction, string label) =>
        ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = label, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = leaves,
            NumberOfTrees = trees, MinimumExampleCountPerLeaf = minLeaf, LearningRate = rate, FeatureFraction = fraction,
            Seed = c.Seed, NumberOfThreads = c.Threads,
        });
}
