using Pipelines.Reports.Analysis;

namespace Pipelines.Reports.Html;

/// <summary>Section 4, the product's headline: how batch size changed the result, the gap and the throughput.</summary>
internal sealed class BatchSizeSection() : ReportSection("batch-size", "Batch size and the result")
{
    protected override void WriteBody(HtmlWriter w, ReportContent c)
    {
        if (c.BatchSizes.Count == 0)
        {
            w.Paragraph(c.AnyTorch
                ? "No Torch trial has finished with a batch size yet: nothing to compare."
                : "No Torch trials in this study: batch size was not part of the search, so there is nothing to compare.", "empty");
            return;
        }
        w.Paragraph("Batch size was searched on a log scale (powers of two); the axis below is log₂. The generalization gap is the train metric minus the validation metric " +
            "(validation minus train for losses), both measured after training, so a positive gap means the model fits its training data better than new data. " +
            "Large batches take fewer optimizer steps per epoch and tend to larger gaps (Keskar et al. 2017) unless they train longer (Hoffer et al. 2017); " +
            "they also process more samples per second, up to the hardware's limit.", "explain");
        var findings = Findings(c.BatchSizes, c.Input.Direction);
        if (findings.Count > 0) w.List(findings);
        if (c.BatchSizePlots.Count == 0) w.Paragraph("No completed Torch trial yet: nothing to plot against batch size.", "empty");
        foreach (var plot in c.BatchSizePlots) w.Image(plot);

        string metric = c.Input.MetricName;
        w.Element("h3", "Per batch size");
        w.Paragraph("Finished Torch trials only. Metric and gap columns are over completed trials (a pruned trial has no final metric); epochs and throughput include pruned trials.", "explain");
        var inv = CultureInfo.InvariantCulture;
        w.Table(
            new[] { "Batch size", "Trials", "Completed", $"Best validation {metric}", $"Median validation {metric}", "Median gap", "Median epochs run", "Median samples/s", "Pruned", "Median noise scale" },
            c.BatchSizes.Select(r => (IReadOnlyList<string>)new[]
            {
                r.BatchSize.ToString(inv), r.Trials.ToString(inv), r.Completed.ToString(inv), Format.Number(r.BestValidationMetric),
                Format.Number(r.MedianValidationMetric), Format.Signed(r.MedianGap), Format.Count(r.MedianEpochsRun),
                Format.Integer(r.MedianSamplesPerSecond), Format.Percent(r.SharePruned), Format.Integer(r.MedianGradientNoiseScale),
            }),
            numeric: new HashSet<int> { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 });
    }

    /// <summary>Plain-language readings of the table, only where at least two batch sizes can be compared.</summary>
    static List<string> Findings(IReadOnlyList<BatchSizeRow> rows, OptimizationDirection direction)
    {
        var findings = new List<string>();
        var scored = rows.Where(r => r.MedianValidationMetric is { } m && double.IsFinite(m)).ToList();
        if (scored.Count >= 2)
        {
            var best = scored.OrderBy(r => direction.ToLoss(r.MedianValidationMetric!.Value)).First();
            var worst = scored.OrderBy(r => direction.ToLoss(r.MedianValidationMetric!.Value)).Last();
            findings.Add($"Best median validation metric at batch {best.BatchSize} ({Format.Number(best.MedianValidationMetric)}); worst at batch {worst.BatchSize} ({Format.Number(worst.MedianValidationMetric)}).");
        }
        var gaps = rows.Where(r => r.MedianGap is { } g && double.IsFinite(g)).ToList();
        if (gaps.Count >= 2)
        {
            var small = gaps.OrderBy(r => r.MedianGap).First();
            var large = gaps.OrderBy(r => r.MedianGap).Last();
            findings.Add($"Smallest median gap at batch {small.BatchSize} ({Format.Signed(small.MedianGap)}); largest at batch {large.BatchSize} ({Format.Signed(large.MedianGap)}).");
        }
        var speed = rows.Where(r => r.MedianSamplesPerSecond is > 0 && double.IsFinite(r.MedianSamplesPerSecond.Value)).ToList();
        if (speed.Count >= 2)
        {
            var first = speed[0];
            var last = speed[^1];
            findings.Add($"Throughput went from {Format.Integer(first.MedianSamplesPerSecond)} samples/s at batch {first.BatchSize} to {Format.Integer(last.MedianSamplesPerSecond)} at batch {last.BatchSize} " +
                $"(×{(last.MedianSamplesPerSecond!.Value / first.MedianSamplesPerSecond!.Value).ToString("0.0", CultureInfo.InvariantCulture)}).");
        }
        var noise = Stats.Median(rows.Select(r => r.MedianGradientNoiseScale));
        var bestRow = scored.Count > 0 ? scored.OrderBy(r => direction.ToLoss(r.MedianValidationMetric!.Value)).First() : null;
        if (noise is { } b && double.IsFinite(b) && bestRow != null)
            findings.Add($"The measured gradient noise scale is about {Format.Integer(b)} (McCandlish et al. 2018: batches up to about that size still gain per step; " +
                $"past it a bigger batch mostly costs more per step); the best batch size was {bestRow.BatchSize}, " +
                (bestRow.BatchSize > 2 * b ? "well above it." : bestRow.BatchSize < b / 2 ? "well below it: fewer, noisier steps suited this data." : "close to it."));
        return findings;
    }
}
