namespace Pipelines.AutoML.Metrics;

/// <summary>
/// How far one model leads another on the same rows: the mean of their per-row score differences and its standard
/// error. The one-standard-error rule (Breiman et al., CART, 1984) takes the simpler of two models unless the other
/// leads it by more than <see cref="StandardError"/>: the best default over a tuned trial, the single model over an
/// ensemble.
/// </summary>
/// <param name="Lead">The mean per-row difference, first minus second (accuracy, or negated squared or absolute error).</param>
/// <param name="StandardError">The standard error of that mean.</param>
/// <param name="Rows">The rows compared.</param>
public readonly record struct PairedLead(double Lead, double StandardError, int Rows)
{
    /// <summary>The lead of <paramref name="first"/> over <paramref name="second"/>, row by row; null with fewer than two rows.</summary>
    public static PairedLead? Of(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var differences = first.Zip(second, (x, y) => x - y).ToArray();
        int n = differences.Length;
        if (n < 2) return null;
        double lead = differences.Average();
        double variance = differences.Sum(v => (v - lead) * (v - lead)) / (n - 1);
        return new PairedLead(lead, Math.Sqrt(variance / n), n);
    }

    /// <summary>Whether the first model leads by more than one standard error.</summary>
    public bool IsClear => Lead > StandardError;
}
