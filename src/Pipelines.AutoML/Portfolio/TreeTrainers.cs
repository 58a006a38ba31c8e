using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;
using Microsoft.ML.Data;
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
/// Puts a trial's sampled tree parameters on ML.NET's FastTree and FastForest options, so the empty point is exactly
/// the catalog's trainer, and picks the trainer for the task. Columns, seed and threads always come from the trial.
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

    /// <summary>The trainer for the trial's task: the regression trainer, the binary one, or the binary one one-versus-all for several classes (as Microsoft's AutoML).</summary>
    public static IEstimator<ITransformer> ForTask<TModel>(TrialFitContext c, Func<ITrainerEstimator<BinaryPredictionTransformer<TModel>, TModel>> binary,
        Func<IEstimator<ITransformer>> regression) where TModel : class => c.Task switch
    {
        PredictionKind.Regression => regression(),
        PredictionKind.BinaryClassification => binary(),
        _ => c.MLContext.MulticlassClassification.Trainers.OneVersusAll(binary(), c.LabelColumnName),
    };
}
