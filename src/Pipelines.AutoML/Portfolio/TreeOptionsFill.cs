using Microsoft.ML.Trainers.FastTree;

namespace Pipelines.AutoML.Portfolio;

/// <summary>
/// Puts a trial's sampled tree parameters on ML.NET's FastTree and FastForest options: a null keeps ML.NET's default,
/// so the empty point is exactly the catalog's trainer. Columns, seed and threads always come from the trial.
/// </summary>
internal static class TreeOptionsFill
{
    public static T With<T>(this T options, TrialFitContext c, int? leaves, int? trees, int? minimumPerLeaf, double? featureFraction)
        where T : TreeOptions
    {
        options.LabelColumnName = c.LabelColumnName;
        options.FeatureColumnName = c.FeatureColumnName;
        options.Seed = c.Seed;
        options.NumberOfThreads = c.Threads;
        if (leaves is { } l) options.NumberOfLeaves = l;
        if (trees is { } t) options.NumberOfTrees = t;
        if (minimumPerLeaf is { } m) options.MinimumExampleCountPerLeaf = m;
        if (featureFraction is { } f) options.FeatureFraction = f;
        return options;
    }
}
