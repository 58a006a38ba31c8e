using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;
using Microsoft.ML.Trainers.LightGbm;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's LightGBM trainers (binary, multiclass and regression).</summary>
public sealed class LightGbmCandidate : TrainerCandidate
{
    /// <summary>What the search tunes, with each range and default (ML.NET's LightGbm defaults) stated once.</summary>
    public sealed class SearchOptions
    {
        [JsonPropertyName("number_of_leaves"), Range(4, 1024, 31, true)] public int NumberOfLeaves { get; set; }
        [JsonPropertyName("number_of_iterations"), Range(4, 1000, 100, true)] public int NumberOfIterations { get; set; }
        [JsonPropertyName("minimum_example_count_per_leaf"), Range(2, 128, 20, true)] public int MinimumExampleCountPerLeaf { get; set; }
        [JsonPropertyName("learning_rate"), Range(1e-3, 1.0, 0.1, true)] public double LearningRate { get; set; }
        [JsonPropertyName("l2_regularization"), Range(1e-6, 10.0, 1e-2, true)] public double L2Regularization { get; set; }
    }

    public override string Name => "lightgbm";
    public override bool Supports(PredictionKind task) => true;
    public override IReadOnlyList<string> ModelPackages => new[] { "Microsoft.ML.LightGbm" };
    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => SpaceOf<SearchOptions>();

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        var o = Read<SearchOptions>(p);
        var ml = c.MLContext;
        var booster = new GradientBooster.Options { L2Regularization = o.L2Regularization };
        IEstimator<ITransformer> trainer = c.Task switch
        {
            PredictionKind.BinaryClassification => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = o.NumberOfLeaves,
                NumberOfIterations = o.NumberOfIterations, MinimumExampleCountPerLeaf = o.MinimumExampleCountPerLeaf,
                LearningRate = o.LearningRate, Booster = booster, Seed = c.Seed, NumberOfThreads = c.Threads,
            }),
            PredictionKind.MulticlassClassification => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = o.NumberOfLeaves,
                NumberOfIterations = o.NumberOfIterations, MinimumExampleCountPerLeaf = o.MinimumExampleCountPerLeaf,
                LearningRate = o.LearningRate, Booster = booster, Seed = c.Seed, NumberOfThreads = c.Threads,
            }),
            _ => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = c.LabelColumnName, FeatureColumnName = c.FeatureColumnName, NumberOfLeaves = o.NumberOfLeaves,
                NumberOfIterations = o.NumberOfIterations, MinimumExampleCountPerLeaf = o.MinimumExampleCountPerLeaf,
                LearningRate = o.LearningRate, Booster = booster, Seed = c.Seed, NumberOfThreads = c.Threads,
            }),
        };
        return new TrialFit(trainer.Fit(c.Train));
    }
}
