using Pipelines.Reports.Analysis;
using ScottPlot;

namespace Pipelines.Reports.Plots;

/// <summary>
/// A value against batch size on the log2 axis (<see cref="ReportPlot.Log2BatchAxis"/>) with a line through its
/// median at each batch size: the study report draws its trials so, the batch-size sweep its runs (one per batch size).
/// </summary>
internal static class AgainstBatchSizePlot
{
    /// <summary>
    /// The plot of <paramref name="items"/> that have a finite value, or null when none has. <paramref name="addPoints"/>
    /// draws the items themselves beside the line; <paramref name="zeroLine"/> marks zero ("no gap").
    /// </summary>
    public static RenderedPlot? Build<T>(IReadOnlyList<T> items, Func<T, int> batchSize, Func<T, double?> value, string title, string yLabel,
        string lineLegend, string fileName, string alt, bool zeroLine = false, Action<Plot, IReadOnlyList<(T Item, int Batch, double Value)>>? addPoints = null)
    {
        var points = items.Select(i => (Item: i, Batch: batchSize(i), Value: value(i))).Where(p => p.Value is { } v && double.IsFinite(v))
            .Select(p => (p.Item, p.Batch, Value: p.Value!.Value)).ToList();
        if (points.Count == 0) return null;

        var plot = ReportPlot.Create(title, "Batch size (log₂ scale)", yLabel);
        if (zeroLine) ReportPlot.ZeroLine(plot);
        var medians = points.GroupBy(p => p.Batch).OrderBy(g => g.Key)
            .Select(g => (X: Math.Log2(g.Key), Y: Stats.Quantile(g.Select(p => p.Value).ToList(), 0.5)!.Value)).ToList();
        var line = plot.Add.ScatterLine(medians.Select(m => m.X).ToArray(), medians.Select(m => m.Y).ToArray(), ReportPlot.Median);
        line.LineWidth = 2.5f;
        line.MarkerSize = 9;
        line.MarkerShape = MarkerShape.FilledSquare;
        line.LegendText = lineLegend;
        addPoints?.Invoke(plot, points);

        ReportPlot.Log2BatchAxis(plot, points.Select(p => p.Batch));
        var values = points.Select(p => p.Value).ToList();
        if (zeroLine) values.Add(0);
        ReportPlot.PaddedLimitsY(plot, values);
        ReportPlot.LegendOutside(plot);
        return ReportPlot.Render(plot, fileName, alt);
    }
}
