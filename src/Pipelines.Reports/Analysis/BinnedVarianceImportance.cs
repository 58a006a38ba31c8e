namespace Pipelines.Reports.Analysis;

/// <summary>
/// Importance without a model: for each parameter, trials are grouped by its value (categories as they are, numbers
/// in up to four equal-count bins by rank) and the share of the objective's variance between the groups (eta
/// squared) is its raw importance; the shares are then normalized to sum to 1. With few trials parameters are
/// confounded, so this ranks them roughly; it is what the report uses below the forest's minimum.
/// </summary>
internal static class BinnedVarianceImportance
{
    /// <summary>Raw eta squared per column (not normalized).</summary>
    public static double[] Compute(ParameterMatrix matrix, IReadOnlyList<double> objective)
    {
        int n = objective.Count;
        // Same number of bins for every parameter, so none gains variance just by having more groups.
        int bins = Math.Clamp(n / 3, 2, 4);
        var result = new double[matrix.Count];
        for (int j = 0; j < matrix.Count; j++)
            result[j] = Stats.EtaSquared(objective, Groups(matrix.Columns[j], matrix.IsCategorical[j], bins));
        return result;
    }

    static int[] Groups(double[] column, bool categorical, int bins)
    {
        var distinct = column.Distinct().OrderBy(v => v).ToList();
        if (categorical || distinct.Count <= bins) return column.Select(v => distinct.IndexOf(v)).ToArray();
        // Equal-count bins by rank; ties share the bin of their first rank so equal values are never split.
        var order = Enumerable.Range(0, column.Length).OrderBy(i => column[i]).ToArray();
        var groups = new int[column.Length];
        for (int r = 0; r < order.Length; r++)
        {
            int first = Array.FindIndex(order, i => column[i] == column[order[r]]);
            groups[order[r]] = first * bins / order.Length;
        }
        return groups;
    }
}
