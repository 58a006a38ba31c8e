using System.Text.Json.Serialization;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers.FastTree;

namespace Pipelines.AutoML.Portfolio;

/// <summary>ML.NET's FastTree (gradient-boosted trees); multiclass through one-versus-all, as Microsoft's AutoML does.</summary>
public sealed class FastTreeCandidate
    : TreeCandidate<FastTreeCandidate.SearchOptions, CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>
{
    /// <summary>What the search tunes; each range starts at ML.NET's FastTree default, and a null keeps that default.</summary>
    public sealed class SearchOptions : TreeSearchOptions
    {
        [JsonPropertyName("learning_rate"), Range(1e-3, 1.0, 0.2, true)] public double? LearningRate { get; set; }
        [JsonPropertyName("feature_fraction"), Range(0.5, 1.0, 1.0, false)] public override double? FeatureFraction { get; set; }
    }

    public override string Name => "fasttree";

    protected override FastTreeBinaryTrainer Binary(TrialFitContext c, SearchOptions o) =>
        c.MLContext.BinaryClassification.Trainers.FastTree(With(new FastTreeBinaryTrainer.Options(), c, o));

    protected override FastTreeRegressionTrainer Regression(TrialFitContext c, SearchOptions o) =>
        c.MLContext.Regression.Trainers.FastTree(With(new FastTreeRegressionTrainer.Options(), c, o));

    static T With<T>(T options, TrialFitContext c, SearchOptions o) where T : BoostedTreeOptions
    {
        options.With(c, o);
        if (o.LearningRate is { } rate) options.LearningRate = rate;
        return options;
    }
}
