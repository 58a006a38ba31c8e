using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;
using Microsoft.ML.Trainers.FastTree;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's FastTree (gradient-boosted trees); multiclass through one-versus-all, as Microsoft's AutoML does.</summary>
public sealed class FastTreeCandidate : MLNetCandidate
{
    /// <summary>What the search tunes; each range starts at ML.NET's FastTree default, and a null keeps that default.</summary>
    public sealed class SearchOptions
    {
        [JsonPropertyName("number_of_leaves"), Range(4, 1024, 20, true)] public int? NumberOfLeaves { get; set; }
        [JsonPropertyName("number_of_trees"), Range(4, 1000, 100, true)] public int? NumberOfTrees { get; set; }
        [JsonPropertyName("minimum_example_count_per_leaf"), Range(2, 128, 10, true)] public int? MinimumExampleCountPerLeaf { get; set; }
        [JsonPropertyName("learning_rate"), Range(1e-3, 1.0, 0.2, true)] public double? LearningRate { get; set; }
        [JsonPropertyName("feature_fraction"), Range(0.5, 1.0, 1.0, false)] public double? FeatureFraction { get; set; }
    }

    public override string Name => "fasttree";
    public override bool Supports(PredictionKind task) => true;
    public override double RelativeCost => 3;
    public override string? FidelityParameter => "number_of_trees";
    public override IReadOnlyList<string> ModelPackages => new[] { "Microsoft.ML.FastTree" };
    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => SpaceOf<SearchOptions>();

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        var o = Read<SearchOptions>(p);
        var ml = c.MLContext;
        T With<T>(T options) where T : BoostedTreeOptions
        {
            options.With(c, o.NumberOfLeaves, o.NumberOfTrees, o.MinimumExampleCountPerLeaf, o.FeatureFraction);
            if (o.LearningRate is { } rate) options.LearningRate = rate;
            return options;
        }
        FastTreeBinaryTrainer Binary() => ml.BinaryClassification.Trainers.FastTree(With(new FastTreeBinaryTrainer.Options()));
        IEstimator<ITransformer> trainer = c.Task switch
        {
            PredictionKind.Regression => ml.Regression.Trainers.FastTree(With(new FastTreeRegressionTrainer.Options())),
            PredictionKind.BinaryClassification => Binary(),
            _ => ml.MulticlassClassification.Trainers.OneVersusAll(Binary(), c.LabelColumnName),
        };
        return new TrialFit(trainer.Fit(c.Train));
    }
}
