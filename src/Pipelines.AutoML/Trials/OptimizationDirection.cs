namespace Pipelines.AutoML.Trials;

/// <summary>Whether larger or smaller values of a metric are better.</summary>
public enum OptimizationDirection
{
    Maximize,
    Minimize,
}

public static class OptimizationDirectionExtensions
{
    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/>.</summary>
    public static bool IsBetter(this OptimizationDirection direction, double a, double b) =>
        direction == OptimizationDirection.Maximize ? a > b : a < b;

    /// <summary>The value as a loss (smaller is better), the form tuners optimize.</summary>
    public static double ToLoss(this OptimizationDirection direction, double value) =>
        direction == OptimizationDirection.Maximize ? -value : value;
}
