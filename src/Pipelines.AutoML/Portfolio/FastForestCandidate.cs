using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.SearchSpace;
using Microsoft.ML.Trainers.FastTree;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.Torch.Data;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's FastForest (random forest); multiclass through one-versus-all.</summary>
public sealed class FastForestCandidate : MLNetCandidate
{
    /// <summary>What the search tunes; each range starts at ML.NET's FastForest default, and a null keeps that default.</summary>
    public sealed class SearchOptions
    {
        [JsonPropertyName("number_of_leaves"), Range(4, 1024, 20, true)] public int? NumberOfLeaves { get; set; }
        [JsonPropertyName("number_of_trees"), Range(4, 1000, 100, true)] public int? NumberOfTrees { get; set; }
        [JsonPropertyName("minimum_example_count_per_leaf"), Range(2, 128, 10, true)] public int? MinimumExampleCountPerLeaf { get; set; }
        [JsonPropertyName("feature_fraction"), Range(0.3, 1.0, 0.7, false)] public double? FeatureFraction { get; set; }
    }

    public override string Name => "fastforest";
    public override bool Supports(PredictionKind task) => true;
    public override double RelativeCost => 3;
    public override string? FidelityParameter => "number_of_trees";
    public override IReadOnlyList<string> ModelPackages => new[] { "Microsoft.ML.FastTree" };
    public override NestedSpace DefaultSearchSpace(PredictionKind task, int trainRows) => SpaceOf<SearchOptions>();

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        var o = Read<SearchOptions>(p);
        var ml = c.MLContext;
        T With<T>(T options) where T : TreeOptions => options.With(c, o.NumberOfLeaves, o.NumberOfTrees, o.MinimumExampleCountPerLeaf, o.FeatureFraction);
        FastForestBinaryTrainer Binary() => ml.BinaryClassification.Trainers.FastForest(With(new FastForestBinaryTrainer.Options()));
        IEstimator<ITransformer> trainer = c.Task switch
        {
            PredictionKind.Regression => ml.Regression.Trainers.FastForest(With(new FastForestRegressionTrainer.Options())),
            PredictionKind.BinaryClassification => Binary(),
            _ => ml.MulticlassClassification.Trainers.OneVersusAll(Binary(), c.LabelColumnName),
        };
        return new TrialFit(trainer.Fit(c.Train));
    }
}
