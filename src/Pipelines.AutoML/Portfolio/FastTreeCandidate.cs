using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;
using Microsoft.ML.Trainers.FastTree;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's FastTree (gradient-boosted trees); multiclass through one-versus-all, as Microsoft's AutoML does.</summary>
public sealed class FastTreeCandidate : MLNetCandidate<FastTreeCandidate.SearchOptions>
{
    /// <summary>What the search tunes; each range starts at ML.NET's FastTree default, and a null keeps that default.</summary>
    public sealed class SearchOptions : TreeSearchOptions
    {
        [JsonPropertyName("learning_rate"), Range(1e-3, 1.0, 0.2, true)] public double? LearningRate { get; set; }
        [JsonPropertyName("feature_fraction"), Range(0.5, 1.0, 1.0, false)] public override double? FeatureFraction { get; set; }
    }

    public override string Name => "fasttree";
    public override double RelativeCost => 3;
    public override string? FidelityParameter => "number_of_trees";
    public override IReadOnlyList<string> ModelPackages => new[] { "Microsoft.ML.FastTree" };

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        var o = Read(p);
        var ml = c.MLContext;
        T With<T>(T options) where T : BoostedTreeOptions
        {
            options.With(c, o);
            if (o.LearningRate is { } rate) options.LearningRate = rate;
            return options;
        }
        var trainer = TreeTrainers.ForTask(c, () => ml.BinaryClassification.Trainers.FastTree(With(new FastTreeBinaryTrainer.Options())),
            () => ml.Regression.Trainers.FastTree(With(new FastTreeRegressionTrainer.Options())));
        return new TrialFit(trainer.Fit(c.Train));
    }
}
