using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Pipelines.AutoML.Metrics;
using Pipelines.Torch.Data;
using Pipelines.AutoML.SearchSpaces;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's FastForest (random forest); multiclass through one-versus-all.</summary>
public sealed class FastForestCandidate : TrainerCandidate
{
    public override string Name => "fastforest";
    public override bool Supports(PredictionKind task) => true;

    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => new SearchSpaceBuilder()
        .Int("number_of_leaves", 4, 1024, logBase: true, defaultValue: 20)
        .Int("number_of_trees", 4, 1000, logBase: true, defaultValue: 100)
        .Int("minimum_example_count_per_leaf", 2, 128, logBase: true, defaultValue: 10)
        .Double("feature_fraction", 0.3, 1, defaultValue: 0.7)
        .Build();

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        int leaves = Get(p, "number_of_leaves", 20, v => v.AsInt());
        int trees = Get(p, "number_of_trees", 100, v => v.AsInt());
        int minLeaf = Get(p, "minimum_example_count_per_leaf", 10, v => v.AsInt());
        double fraction = Get(p, "feature_fraction", 0.7, v => v.AsDouble());
        var ml = c.MLContext;
        FastForestBinaryTrainer Binary() => ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
        {
            LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = leaves,
            NumberOfTrees = trees, MinimumExampleCountPerLeaf = minLeaf, FeatureFraction = fraction, Seed = c.Seed,
            NumberOfThreads = c.Threads,
        });
        IEstimator<ITransformer> trainer = c.Task switch
        {
            PredictionKind.Regression => ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = leaves,
                NumberOfTrees = trees, MinimumExampleCountPerLeaf = minLeaf, FeatureFraction = fraction, Seed = c.Seed,
                NumberOfThreads = c.Threads,
            }),
            PredictionKind.BinaryClassification => Binary(),
            _ => ml.MulticlassClassification.Trainers.OneVersusAll(Binary(), c.LabelColumnName),
        };
        return new TrialFit(trainer.Fit(c.Train));
    }
}
