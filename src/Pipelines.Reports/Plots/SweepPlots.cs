using Pipelines.Torch.BatchSize;
using ScottPlot;

namespace Pipelines.Reports.Plots;

/// <summary>
/// The plots of a batch-size sweep: steps against examples to the target with the fitted trade-off curve, the
/// validation loss of every run against examples seen, and time to the target, throughput, gap and the measured
/// noise scale against batch size (log2 axis, as the study report's batch-size plots).
/// </summary>
internal static class SweepPlots
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IReadOnlyList<RenderedPlot> Build(BatchSizeSweepResult result)
    {
        var reached = result.Points.Where(p => p.ReachedTarget && p.Steps > 0).ToList();
        return ReportPlot.Drawn(
            StepsAgainstExamples(result, reached),
            LossCurves(result),
            AgainstBatchSize(reached, p => p.Seconds, "Time to the target", "Optimization seconds to the target", "time-to-target.png",
                $"Optimization seconds each batch size took to reach validation {result.LossName} {result.TargetLoss.ToString("G4", Inv)}"),
            AgainstBatchSize(result.Points, p => p.SamplesPerSecond, "Training throughput", "Samples per second", "throughput.png",
                "Training samples per second of optimization time against batch size"),
            AgainstBatchSize(result.Points, p => p.Gap, "Generalization gap at the end of each run", $"Gap (train − validation {result.MetricName})", "gap.png",
                "Generalization gap at the end of each batch size's run", zeroLine: true),
            NoiseScale(result));
    }

    static RenderedPlot? StepsAgainstExamples(BatchSizeSweepResult result, List<BatchSizePoint> reached)
    {
        if (reached.Count == 0) return null;
        var plot = ReportPlot.Create($"Steps against examples to validation {result.LossName} {result.TargetLoss.ToString("G4", Inv)}",
            "Training examples to the target (log scale)", "Optimizer steps to the target (log scale)");
        var xs = reached.Select(p => p.Examples!.Value).ToList();
        var ys = reached.Select(p => p.Steps!.Value).ToList();
        if (result.Fit is { } fit)
        {
            double low = reached.Min(p => p.BatchSize) / 4.0, high = reached.Max(p => p.BatchSize) * 4.0;
            var batches = Enumerable.Range(0, 121).Select(i => low * Math.Pow(high / low, i / 120.0)).ToList();
            var curve = plot.Add.ScatterLine(batches.Select(b => Math.Log10(fit.ExamplesAt(b))).ToArray(), batches.Select(b => Math.Log10(fit.StepsAt(b))).ToArray(), ReportPlot.Median);
            curve.LineWidth = 2;
            curve.MarkerSize = 0;
            curve.LegendText = $"fit: (S/S_min − 1)(E/E_min − 1) = 1, B_crit ≈ {fit.CriticalBatchSize.ToString("N0", Inv)}";
            var sMin = plot.Add.HorizontalLine(Math.Log10(fit.MinSteps), 1, Colors.Black.WithAlpha(0.4), LinePattern.Dashed);
            sMin.LegendText = $"S_min = {fit.MinSteps.ToString("N0", Inv)}";
            var eMin = plot.Add.VerticalLine(Math.Log10(fit.MinExamples), 1, Colors.Black.WithAlpha(0.4), LinePattern.Dotted);
            eMin.LegendText = $"E_min = {fit.MinExamples.ToString("N0", Inv)}";
            xs.AddRange(batches.Where(b => b >= low * 2 && b <= high / 2).Select(fit.ExamplesAt));
            ys.AddRange(batches.Where(b => b >= low * 2 && b <= high / 2).Select(fit.StepsAt));
            xs.Add(fit.MinExamples);
            ys.Add(fit.MinSteps);
        }
        var dots = plot.Add.ScatterPoints(reached.Select(p => Math.Log10(p.Examples!.Value)).ToArray(), reached.Select(p => Math.Log10(p.Steps!.Value)).ToArray(), ReportPlot.Completed);
        dots.MarkerSize = 9;
        dots.LegendText = "measured (label: batch size)";
        foreach (var p in reached)
        {
            var label = plot.Add.Text(p.BatchSize.ToString(Inv), Math.Log10(p.Examples!.Value), Math.Log10(p.Steps!.Value));
            label.LabelStyle.FontName = ReportFont.Name;
            label.LabelStyle.FontSize = 12;
            label.Alignment = Alignment.LowerLeft;
            label.OffsetX = 6;
            label.OffsetY = -4;
        }
        ReportPlot.Log10Axis(plot.Axes.Bottom, xs);
        ReportPlot.Log10Axis(plot.Axes.Left, ys);
        SetLimits(plot, xs.Select(Math.Log10).ToList(), ys.Select(Math.Log10).ToList());
        ReportPlot.LegendOutside(plot);
        return ReportPlot.Render(plot, "steps-vs-examples.png",
            "Optimizer steps against training examples each batch size took to reach the target, with the fitted steps-examples trade-off curve");
    }

    static RenderedPlot? LossCurves(BatchSizeSweepResult result)
    {
        var runs = result.Runs.Where(r => r.Checkpoints.Any(c => c.Examples > 0 && double.IsFinite(c.ValidationLoss))).ToList();
        if (runs.Count == 0) return null;
        var plot = ReportPlot.Create($"Validation {result.LossName} against examples seen", "Training examples seen (log scale)", $"Validation {result.LossName}");
        var xs = new List<double>();
        var ys = new List<double>();
        var sizes = runs.Select(r => r.BatchSize).Distinct().Order().ToList();
        bool search = runs.Count > sizes.Count;
        foreach (var run in runs)
        {
            var points = run.Checkpoints.Where(c => c.Examples > 0 && double.IsFinite(c.ValidationLoss)).ToList();
            var line = plot.Add.ScatterLine(points.Select(c => Math.Log10(c.Examples)).ToArray(), points.Select(c => c.ValidationLoss).ToArray(),
                ReportPlot.ColorAt(sizes.IndexOf(run.BatchSize)));
            line.LineWidth = 2;
            line.MarkerSize = points.Count == 1 ? 6 : 0;
            line.LegendText = search ? $"batch {run.BatchSize}, lr {run.LearningRate.ToString("G3", Inv)}" : $"batch {run.BatchSize}";
            xs.AddRange(points.Select(c => (double)c.Examples));
            ys.AddRange(points.Select(c => c.ValidationLoss));
        }
        var target = plot.Add.HorizontalLine(result.TargetLoss, 1.5f, Colors.Black.WithAlpha(0.6), LinePattern.Dashed);
        target.LegendText = $"target {result.TargetLoss.ToString("G4", Inv)}";
        ys.Add(result.TargetLoss);
        ReportPlot.Log10Axis(plot.Axes.Bottom, xs);
        var logX = xs.Select(Math.Log10).ToList();
        plot.Axes.SetLimitsX(logX.Min() - 0.05, logX.Max() + 0.05);
        ReportPlot.RobustLimitsY(plot, ys);
        ReportPlot.LegendOutside(plot);
        return ReportPlot.Render(plot, "validation-loss-vs-examples.png", $"Validation {result.LossName} of every run against the training examples it had seen, with the target");
    }

    static RenderedPlot? NoiseScale(BatchSizeSweepResult result)
    {
        var points = result.Points.Where(p => p.GradientNoiseScale is { } v && v > 0 && double.IsFinite(v)).ToList();
        if (points.Count == 0) return null;
        var plot = ReportPlot.Create("Gradient noise scale B_simple against the critical batch size", "Batch size of the run (log₂ scale)", "Examples (log scale)");
        var ys = points.Select(p => p.GradientNoiseScale!.Value).ToList();
        var dots = plot.Add.ScatterLine(points.Select(p => Math.Log2(p.BatchSize)).ToArray(), ys.Select(Math.Log10).ToArray(), ReportPlot.Completed);
        dots.LineWidth = 2;
        dots.MarkerSize = 9;
        dots.LegendText = "B_simple measured at the target";
        if (result.CriticalBatchSize is { } critical && critical > 0 && double.IsFinite(critical))
        {
            var line = plot.Add.HorizontalLine(Math.Log10(critical), 2, ReportPlot.Best, LinePattern.Dashed);
            line.LegendText = $"B_crit from the fit ≈ {critical.ToString("N0", Inv)}";
            ys.Add(critical);
        }
        ReportPlot.Log2BatchAxis(plot, points.Select(p => p.BatchSize));
        ReportPlot.Log10Axis(plot.Axes.Left, ys);
        var logY = ys.Select(Math.Log10).ToList();
        double pad = Math.Max(0.1, (logY.Max() - logY.Min()) * 0.1);
        plot.Axes.SetLimitsY(logY.Min() - pad, logY.Max() + pad);
        ReportPlot.LegendOutside(plot);
        return ReportPlot.Render(plot, "noise-scale.png", "The gradient noise scale B_simple each run measured when it reached the target, against the critical batch size of the fit");
    }

    static RenderedPlot? AgainstBatchSize(IReadOnlyList<BatchSizePoint> points, Func<BatchSizePoint, double?> value, string title, string yLabel,
        string fileName, string alt, bool zeroLine = false) =>
        AgainstBatchSizePlot.Build(points, p => p.BatchSize, value, title, yLabel, "one run per batch size", fileName, alt, zeroLine);

    static void SetLimits(Plot plot, List<double> x, List<double> y)
    {
        double padX = Math.Max(0.05, (x.Max() - x.Min()) * 0.08), padY = Math.Max(0.05, (y.Max() - y.Min()) * 0.08);
        plot.Axes.SetLimits(x.Min() - padX, x.Max() + padX, y.Min() - padY, y.Max() + padY);
    }
}
