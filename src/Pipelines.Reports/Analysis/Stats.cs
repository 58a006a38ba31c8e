namespace Pipelines.Reports.Analysis;

/// <summary>Small statistics over finite values; NaN and infinities are left out, never propagated.</summary>
internal static class Stats
{
    public static List<double> Finite(IEnumerable<double?> values) =>
        values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();

    public static double? Median(IEnumerable<double?> values) => Quantile(Finite(values), 0.5);

    /// <summary>The q-quantile by linear interpolation between order statistics; null for no values.</summary>
    public static double? Quantile(IReadOnlyCollection<double> values, double q)
    {
        if (values.Count == 0) return null;
        var sorted = values.OrderBy(v => v).ToArray();
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>
    /// The share of the variance of <paramref name="y"/> explained by the groups (eta squared: the between-group sum
    /// of squares over the total sum of squares), the first-order variance decomposition for a discrete factor.
    /// </summary>
    public static double EtaSquared(IReadOnlyList<double> y, IReadOnlyList<int> group)
    {
        double mean = y.Average();
        double total = y.Sum(v => (v - mean) * (v - mean));
        if (total <= 0) return 0;
        double between = 0;
        foreach (var g in Enumerable.Range(0, y.Count).GroupBy(i => group[i]))
        {
            double groupMean = g.Average(i => y[i]);
            between += g.Count() * (groupMean - mean) * (groupMean - mean);
        }
        return Math.Clamp(between / total, 0, 1);
    }
}
