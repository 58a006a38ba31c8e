namespace Pipelines.Torch.BatchSize;

/// <summary>
/// McCandlish et al.'s (2018) trade-off between the optimizer steps S and the training examples E = B·S that reach a
/// given loss: (S/S_min − 1)(E/E_min − 1) = 1, so S = S_min + E_min / B and E = E_min + S_min · B. S_min is the fewest
/// steps any batch size needs, E_min the fewest examples, and B_crit = E_min / S_min the batch size where both are
/// twice their minimum: below it a doubled batch nearly halves the steps; above it steps barely fall while the
/// examples double.
/// </summary>
/// <param name="MinSteps">S_min.</param>
/// <param name="MinExamples">E_min.</param>
/// <param name="Points">How many (S, E) points were fitted.</param>
/// <param name="RmsLogError">Root mean square of log(S) − log(fitted S) over the points: 0.1 is about 10%.</param>
public sealed record CriticalBatchSizeFit(double MinSteps, double MinExamples, int Points, double RmsLogError)
{
    /// <summary>B_crit = E_min / S_min, in examples.</summary>
    public double CriticalBatchSize => MinExamples / MinSteps;

    public double StepsAt(double batchSize) => MinSteps + MinExamples / batchSize;

    public double ExamplesAt(double batchSize) => MinExamples + MinSteps * batchSize;

    /// <summary>
    /// Fits S_min and E_min to points (S, E) with batch size B = E / S, minimizing the squared error of log S (each
    /// point counts by its relative error): a weighted linear least-squares start, then damped Gauss-Newton on the
    /// logs of S_min and E_min, which keeps both positive. Null with fewer than two points of different batch sizes.
    /// </summary>
    public static CriticalBatchSizeFit? Fit(IEnumerable<(double Steps, double Examples)> points)
    {
        var data = points.Where(p => p.Steps > 0 && p.Examples > 0 && double.IsFinite(p.Steps) && double.IsFinite(p.Examples))
            .Select(p => (LogSteps: Math.Log(p.Steps), InverseBatch: p.Steps / p.Examples)).ToList();
        if (data.Select(p => p.InverseBatch).Distinct().Count() < 2) return null;

        var (a, c) = WeightedLinearStart(data);
        double floor = 1e-6 * data.Min(p => Math.Exp(p.LogSteps));
        double u = Math.Log(Math.Max(a, floor)), v = Math.Log(Math.Max(c, floor * data.Min(p => 1 / p.InverseBatch)));
        double damping = 1e-3;
        double error = SquaredError(data, u, v);
        for (int iteration = 0; iteration < 200 && error > 1e-24; iteration++)
        {
            // Residuals r = log S − log(e^u + e^v x); their gradient in (u, v) is (−p, −(1 − p)) with p = e^u / (e^u + e^v x).
            double juu = 0, juv = 0, jvv = 0, gu = 0, gv = 0;
            foreach (var (logSteps, x) in data)
            {
                double model = Math.Exp(u) + Math.Exp(v) * x;
                double p = Math.Exp(u) / model, r = logSteps - Math.Log(model);
                juu += p * p; juv += p * (1 - p); jvv += (1 - p) * (1 - p);
                gu += p * r; gv += (1 - p) * r;
            }
            bool improved = false;
            while (damping < 1e12)
            {
                double du = juu * (1 + damping), dv = jvv * (1 + damping);
                double det = du * dv - juv * juv;
                if (det <= 0) { damping *= 10; continue; }
                double su = (dv * gu - juv * gv) / det, sv = (du * gv - juv * gu) / det;
                double candidate = SquaredError(data, u + su, v + sv);
                if (candidate < error)
                {
                    u += su; v += sv;
                    improved = error - candidate > 1e-15 * error;
                    error = candidate;
                    damping = Math.Max(damping / 10, 1e-9);
                    break;
                }
                damping *= 10;
            }
            if (!improved) break;
        }
        return new CriticalBatchSizeFit(Math.Exp(u), Math.Exp(v), data.Count, Math.Sqrt(error / data.Count));
    }

    // Minimizes Σ ((S − a − c·x) / S)², x = 1/B: exact for points on the curve.
    static (double A, double C) WeightedLinearStart(List<(double LogSteps, double InverseBatch)> data)
    {
        double sw = 0, swx = 0, swxx = 0, sws = 0, swxs = 0;
        foreach (var (logSteps, x) in data)
        {
            double s = Math.Exp(logSteps), w = 1 / (s * s);
            sw += w; swx += w * x; swxx += w * x * x; sws += w * s; swxs += w * x * s;
        }
        double det = sw * swxx - swx * swx;
        if (det <= 0) return (Math.Exp(data.Average(p => p.LogSteps)), 0);
        return ((swxx * sws - swx * swxs) / det, (sw * swxs - swx * sws) / det);
    }

    static double SquaredError(List<(double LogSteps, double InverseBatch)> data, double u, double v) =>
        data.Sum(p => { double r = p.LogSteps - Math.Log(Math.Exp(u) + Math.Exp(v) * p.InverseBatch); return r * r; });
}
