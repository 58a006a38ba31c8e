namespace Pipelines.Torch.BatchSize;

/// <summary>
/// The time of one optimizer step as a fixed cost plus a cost per example, t(B) = a + b·B, fitted to the runs of a
/// sweep. Throughput B / t(B) then rises towards 1/b and is half of it at B = a / b: small on a CPU, where arithmetic
/// dominates early, and in the thousands on a GPU, where a step costs about the same until the device is full.
/// </summary>
/// <param name="SecondsPerStep">a: what a step costs whatever its size (kernel launches, the optimizer, bookkeeping).</param>
/// <param name="SecondsPerExample">b: what each example adds.</param>
public sealed record StepTimeModel(double SecondsPerStep, double SecondsPerExample)
{
    public double StepSeconds(double batchSize) => SecondsPerStep + SecondsPerExample * batchSize;

    /// <summary>The batch size at which throughput is half of its limit 1/b; infinite when examples cost nothing measurable.</summary>
    public double HalfThroughputBatchSize => SecondsPerExample > 0 ? SecondsPerStep / SecondsPerExample : double.PositiveInfinity;

    /// <summary>
    /// Least squares on relative errors over (batch size, seconds per step) pairs, with both costs kept non-negative.
    /// Null with fewer than two distinct batch sizes.
    /// </summary>
    public static StepTimeModel? Fit(IEnumerable<(double BatchSize, double SecondsPerStep)> runs)
    {
        var data = runs.Where(r => r.BatchSize > 0 && r.SecondsPerStep > 0 && double.IsFinite(r.SecondsPerStep)).ToList();
        if (data.Select(r => r.BatchSize).Distinct().Count() < 2) return null;
        double sw = 0, swb = 0, swbb = 0, swt = 0, swbt = 0;
        foreach (var (b, t) in data)
        {
            double w = 1 / (t * t);
            sw += w; swb += w * b; swbb += w * b * b; swt += w * t; swbt += w * b * t;
        }
        double det = sw * swbb - swb * swb;
        double a = (swbb * swt - swb * swbt) / det, perExample = (sw * swbt - swb * swt) / det;
        if (a < 0) return new StepTimeModel(0, swbt / swbb);       // through the origin
        if (perExample < 0) return new StepTimeModel(swt / sw, 0); // flat
        return new StepTimeModel(a, perExample);
    }
}
