using System.Text.Json.Serialization;
using Microsoft.ML.Trainers.FastTree;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's FastForest (random forest); multiclass through one-versus-all.</summary>
public sealed class FastForestCandidate : TreeCandidate<FastForestCandidate.SearchOptions, FastForestBinaryModelParameters>
{
    /// <summary>What the search tunes; each range starts at ML.NET's FastForest default, and a null keeps that default.</summary>
    public sealed class SearchOptions : TreeSearchOptions
    {
        [JsonPropertyName("feature_fraction"), Range(0.3, 1.0, 0.7, false)] public override double? FeatureFraction { get; set; }
    }

    public override string Name => "fastforest";

    protected override FastForestBinaryTrainer Binary(TrialFitContext c, SearchOptions o) =>
        c.MLContext.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options().With(c, o));

    protected override FastForestRegressionTrainer Regression(TrialFitContext c, SearchOptions o) =>
        c.MLContext.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options().With(c, o));
}
