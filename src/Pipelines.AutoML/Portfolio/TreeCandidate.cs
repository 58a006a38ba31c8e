using System.Text.Json.Serialization;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// What FastTree's and FastForest's search options share: the tree shape, searched from ML.NET's defaults (the same
/// for both). Each adds its own; a null keeps ML.NET's default.
/// </summary>
public abstract class TreeSearchOptions
{
    [JsonPropertyName("number_of_leaves"), Range(4, 1024, 20, true)] public int? NumberOfLeaves { get; set; }
    [JsonPropertyName("number_of_trees"), Range(4, 1000, 100, true)] public int? NumberOfTrees { get; set; }
    [JsonPropertyName("minimum_example_count_per_leaf"), Range(2, 128, 10, true)] public int? MinimumExampleCountPerLeaf { get; set; }
    public abstract double? FeatureFraction { get; set; }
}

/// <summary>
/// What the FastTree-package candidates share: their cost, fidelity (the tree count), package and fit, the trainer
/// chosen for the task. Each says only how its binary and regression trainers
/// are built from the sampled options.
/// </summary>
public abstract class TreeCandidate<TSearchOptions, TBinaryModel> : MLNetCandidate<TSearchOptions>
    where TSearchOptions : TreeSearchOptions where TBinaryModel : class
{
    /// <summary>
    /// On multiclass data one-versus-all trains a binary model per class: 7 to 10 times LightGBM's default on digits and
    /// the Fashion-MNIST table (10 classes), where on binary and regression data it is 1.5 to 2.5 times (docs/benchmarks.md).
    /// </summary>
    public override double RelativeCost(PredictionKind task) => task == PredictionKind.MulticlassClassification ? 15 : 3;
    public override string? FidelityParameter => "number_of_trees";
    public override IReadOnlyList<string> ModelPackages => new[] { "Microsoft.ML.FastTree" };

    public override TrialFit Fit(TrialFitContext c, Parameter p)
    {
        var o = Read(p);
        var trainer = c.Task switch
        {
            PredictionKind.Regression => Regression(c, o),
            PredictionKind.BinaryClassification => Binary(c, o),
            _ => c.MLContext.MulticlassClassification.Trainers.OneVersusAll(Binary(c, o), c.LabelColumnName),
        };
        return new TrialFit(trainer.Fit(c.Train));
    }

    /// <summary>The binary trainer (one-versus-all makes it multiclass, as Microsoft's AutoML does).</summary>
    protected abstract ITrainerEstimator<BinaryPredictionTransformer<TBinaryModel>, TBinaryModel> Binary(TrialFitContext c, TSearchOptions o);

    protected abstract IEstimator<ITransformer> Regression(TrialFitContext c, TSearchOptions o);
}

/// <summary>
/// Puts a trial's sampled tree parameters on ML.NET's FastTree and FastForest options, so the empty point is exactly
/// the catalog's trainer. Columns, seed and threads always come from the trial.
/// </summary>
internal static class TreeTrainers
{
    public static T With<T>(this T options, TrialFitContext c, TreeSearchOptions o) where T : TreeOptions
    {
        options.LabelColumnName = c.LabelColumnName;
        options.FeatureColumnName = c.FeatureColumnName;
        options.Seed = c.Seed;
        options.NumberOfThreads = c.Threads;
        if (o.NumberOfLeaves is { } l) options.NumberOfLeaves = l;
        if (o.NumberOfTrees is { } t) options.NumberOfTrees = t;
        if (o.MinimumExampleCountPerLeaf is { } m) options.MinimumExampleCountPerLeaf = m;
        if (o.FeatureFraction is { } f) options.FeatureFraction = f;
        return options;
    }

}
