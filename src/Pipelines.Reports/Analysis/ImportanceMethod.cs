namespace Pipelines.Reports.Analysis;

/// <summary>How a trainer's parameter importances were computed.</summary>
public enum ImportanceMethod
{
    /// <summary>
    /// A random forest (ML.NET FastForest) fitted from the parameters to the objective, then permutation feature
    /// importance: how much the forest's squared error grows when one parameter's values are shuffled.
    /// </summary>
    PermutationForest,
    /// <summary>
    /// Per parameter, the share of the objective's variance between bins of that parameter's values (eta squared),
    /// for studies with too few trials to fit a forest.
    /// </summary>
    BinnedVariance,
}
