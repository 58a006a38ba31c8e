using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;
using Microsoft.ML.Trainers.FastTree;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's FastForest (random forest); multiclass through one-versus-all.</summary>
public sealed class FastForestCandidate : MLNetCandidate<FastForestCandidate.SearchOptions>
{
    /// <summary>What the search tunes; each range starts at ML.NET's FastForest default, and a null keeps that default.</summary>
    public sealed class SearchOptions : TreeSearchOptions
    {
        [JsonPropertyName("feature_fraction"), Range(0.3, 1.0, 0.7, false)] public override double? FeatureFraction { get; set; }
    }

    public override string Name => "fastforest";
    public override double RelativeCost => 3;
    public override string? FidelityParameter => "number_of_trees";
    public override IReadOnlyList<string> ModelPackages => new[] { "Microsoft.ML.FastTree" };

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        var o = Read(p);
        var ml = c.MLContext;
        T With<T>(T options) where T : TreeOptions => options.With(c, o);
        var trainer = TreeTrainers.ForTask(c, () => ml.BinaryClassification.Trainers.FastForest(With(new FastForestBinaryTrainer.Options())),
            () => ml.Regression.Trainers.FastForest(With(new FastForestRegressionTrainer.Options())));
        return new TrialFit(trainer.Fit(c.Train));
    }
}
