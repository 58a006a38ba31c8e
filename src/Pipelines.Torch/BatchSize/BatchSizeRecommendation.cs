using System.Globalization;

namespace Pipelines.Torch.BatchSize;

/// <summary>
/// The batch size a sweep recommends: the fastest to the target on the machine it ran on, and what an accelerator
/// (a step's time flat in the batch size up to thousands of examples) would change, with the reasoning in words.
/// </summary>
/// <param name="BatchSize">Fastest to the target here (measured); null if no batch size reached it.</param>
/// <param name="AcceleratorBatchSize">The power of two nearest B_crit: where steps and examples are both twice their minimum, the efficient choice when a step's time barely grows with the batch.</param>
/// <param name="ModelBatchSize">The fastest batch size the fitted curves predict here: √(B_crit · a/b) for step time a + b·B.</param>
/// <param name="Text">The recommendation and its reasons, in plain words.</param>
public sealed record BatchSizeRecommendation(int? BatchSize, int? AcceleratorBatchSize, double? ModelBatchSize, string Text)
{
    internal static BatchSizeRecommendation From(IReadOnlyList<BatchSizePoint> points, CriticalBatchSizeFit? fit, StepTimeModel? time, double target)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new List<string>();
        var reached = points.Where(p => p.ReachedTarget).ToList();
        var fastest = reached.MinBy(p => p.Seconds!.Value);
        if (fastest is null)
            text.Add($"No batch size reached the validation loss {target.ToString("G4", inv)}: nothing to recommend; give a higher --target or more time.");
        else
            text.Add($"Fastest to validation loss {target.ToString("G4", inv)} on this machine: batch size {fastest.BatchSize} " +
                     $"({fastest.Seconds!.Value.ToString("0.##", inv)} s, {fastest.Steps!.Value.ToString("N0", inv)} steps).");

        int? accelerator = null;
        double? model = null;
        if (fit is not null)
        {
            double critical = fit.CriticalBatchSize;
            int largest = points.Max(p => p.BatchSize), smallest = points.Min(p => p.BatchSize);
            string range = critical > 2 * largest ? $" (beyond the largest batch tried, {largest}: an extrapolation)"
                : critical < smallest / 2.0 ? $" (below the smallest batch tried, {smallest}: an extrapolation)" : "";
            text.Add($"Steps against examples fit S = S_min + E_min/B with S_min = {fit.MinSteps.ToString("N0", inv)} steps and E_min = {fit.MinExamples.ToString("N0", inv)} examples: " +
                     $"critical batch size B_crit = E_min/S_min ≈ {critical.ToString("N0", inv)}{range}. Below it a doubled batch nearly halves the steps; above it the steps fall little while the examples grow.");
            if (double.IsFinite(critical) && critical >= 1)
            {
                accelerator = 1 << (int)Math.Round(Math.Log2(critical));
                text.Add($"On an accelerator, where a step takes about as long at any batch size up to thousands, time follows the steps: batch size {accelerator} " +
                         "(the power of two nearest B_crit, about twice the minimum steps for about twice the minimum examples) is the efficient choice; larger batches save little time for much more compute.");
            }
            if (time is not null && double.IsFinite(critical) && double.IsFinite(time.HalfThroughputBatchSize) && time.HalfThroughputBatchSize > 0)
            {
                model = Math.Sqrt(critical * time.HalfThroughputBatchSize);
                text.Add($"Here a step costs {(time.SecondsPerStep * 1e3).ToString("0.###", inv)} ms plus {(time.SecondsPerExample * 1e6).ToString("0.###", inv)} µs per example, " +
                         $"so throughput is half its peak at batch {time.HalfThroughputBatchSize.ToString("N0", inv)}; time to the target, S(B)·t(B), is then least near √(B_crit · {time.HalfThroughputBatchSize.ToString("N0", inv)}) ≈ {model.Value.ToString("N0", inv)}. " +
                         "Hardware whose throughput keeps rising to larger batches moves that optimum up, towards B_crit and beyond.");
            }
        }
        else if (reached.Count < 2)
            text.Add("Fewer than two batch sizes reached the target: no critical batch size can be fitted.");
        return new BatchSizeRecommendation(fastest?.BatchSize, accelerator, model, string.Join(" ", text));
    }
}
