namespace Pipelines.AutoML.Tuners;

/// <summary>
/// What one coordinate of a space's unit cube stands for, so tuners can treat choices, integer grids and
/// conditional (one_of) coordinates right while still working on numbers in [0,1] only.
/// </summary>
/// <param name="Index">Position of the coordinate in the cube.</param>
/// <param name="Levels">How many distinct values the coordinate takes (choices, integers, powers of two), or 0
/// when it is continuous (float and double ranges, and integer ranges on a log scale, which round).</param>
/// <param name="IsCategorical">True for unordered choices (choice spaces and one_of selectors), whose equal bins
/// carry no order.</param>
/// <param name="Conditions">The one_of options that must all be chosen for this coordinate to matter: each is
/// the selector's coordinate, the option's index and the number of options.</param>
/// <param name="Range">The numeric range behind the coordinate, or null for choices and selectors.</param>
internal sealed record CubeDimension(
    int Index,
    int Levels,
    bool IsCategorical,
    IReadOnlyList<(int SelectorIndex, int OptionIndex, int OptionCount)> Conditions,
    NumericSpace? Range)
{
    /// <summary>The bin (0 to <paramref name="levels"/> - 1) that unit value <paramref name="u"/> falls in, as spaces bin choices.</summary>
    public static int BinOf(double u, int levels) => Math.Min(levels - 1, (int)Math.Floor(Math.Clamp(u, 0, 1) * levels));

    /// <summary>Whether the coordinate matters at <paramref name="point"/> (every one_of above it selects its option).</summary>
    public bool IsActiveAt(ReadOnlySpan<double> point)
    {
        foreach (var (selector, option, count) in Conditions)
            if (BinOf(point[selector], count) != option) return false;
        return true;
    }
}
