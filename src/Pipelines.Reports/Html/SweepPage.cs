using Pipelines.Reports.Plots;
using Pipelines.Torch.BatchSize;

namespace Pipelines.Reports.Html;

/// <summary>The batch-size sweep's page: the fit and the noise scale, the recommendation, the plots, the table per batch size, the notes.</summary>
internal static class SweepPage
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(BatchSizeReportInput input, IReadOnlyList<RenderedPlot> plots, DateTimeOffset generatedAt)
    {
        var r = input.Result;
        var w = new HtmlWriter();
        PageShell.Begin(w, $"{input.Title}: batch-size report");
        Header(w, input, generatedAt);
        Cards(w, input);
        Body(w, r, plots);
        PageShell.End(w);
        return w.ToString();
    }

    static void Header(HtmlWriter w, BatchSizeReportInput input, DateTimeOffset generatedAt)
    {
        var r = input.Result;
        w.Raw("<header>\n");
        w.Element("h1", input.Title);
        w.Paragraph($"Batch-size sweep · {r.Task} · target validation {r.LossName} {r.TargetLoss.ToString("G4", Inv)} ({(r.TargetGiven ? "given" : "automatic: every batch size reaches it")}) · " +
                    $"{r.Points.Count} batch sizes, {r.Runs.Count} runs · {r.TrainRows:N0} training and {r.ValidationRows:N0} validation rows · generated {Format.Timestamp(generatedAt)}", "subtitle");
        w.Raw("</header>\n<main>\n");
    }

    /// <summary>The fit, the noise scale, the recommendation and the settings, side by side.</summary>
    static void Cards(HtmlWriter w, BatchSizeReportInput input)
    {
        var r = input.Result;
        w.Raw("<div class=\"cards\">\n<div class=\"card\">\n");
        w.Element("h3", "Critical batch size");
        w.Pairs(r.Fit is { } fit
            ? new[]
            {
                ("B_crit = E_min / S_min", Format.Integer(fit.CriticalBatchSize)),
                ("S_min (steps)", Format.Integer(fit.MinSteps)),
                ("E_min (examples)", Format.Integer(fit.MinExamples)),
                ("Points fitted", fit.Points.ToString(Inv)),
                ("RMS error of log steps", Format.Number(fit.RmsLogError)),
            }
            : new[] { ("B_crit", "not fitted: fewer than two batch sizes reached the target") });
        w.Raw("</div>\n<div class=\"card\">\n");
        w.Element("h3", "Gradient noise scale");
        var scales = r.Points.Select(p => p.GradientNoiseScale).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
        w.Pairs(new[]
        {
            ("B_simple (median at the target)", Format.Integer(r.GradientNoiseScale)),
            ("Range over batch sizes", scales.Count > 0 ? $"{Format.Integer(scales.Min())} – {Format.Integer(scales.Max())}" : Format.Missing),
            ("B_simple / B_crit", r.GradientNoiseScale is { } g && r.CriticalBatchSize is { } c && c > 0 ? (g / c).ToString("0.00", Inv) : Format.Missing),
        });
        w.Raw("</div>\n<div class=\"card\">\n");
        w.Element("h3", "Recommended batch size");
        w.Pairs(new[]
        {
            ("Fastest here (measured)", r.Recommendation.BatchSize?.ToString(Inv) ?? Format.Missing),
            ("On an accelerator (≈ B_crit)", r.Recommendation.AcceleratorBatchSize?.ToString(Inv) ?? Format.Missing),
            ("Fastest here (fitted model)", Format.Integer(r.Recommendation.ModelBatchSize)),
        });
        w.Raw("</div>\n<div class=\"card\">\n");
        w.Element("h3", "Settings");
        var settings = new List<(string, string)>
        {
            ("Learning rate", r.LearningRateSelection switch
            {
                LearningRateSelection.Search => $"searched around the {r.LearningRateRule} scaling rule",
                LearningRateSelection.Fixed => "the same at every batch size",
                _ => $"{r.LearningRateRule} scaling rule",
            }),
        };
        settings.AddRange(input.Settings.Select(s => (s.Key, s.Value)));
        w.Pairs(settings);
        w.Raw("</div>\n</div>\n");
        w.Paragraph(r.Recommendation.Text);
    }

    static void Body(HtmlWriter w, BatchSizeSweepResult r, IReadOnlyList<RenderedPlot> plots)
    {
        w.Heading(2, "How batch size traded steps for examples", "plots");
        w.Paragraph("Each batch size trained the same network from the same initial weights until its validation loss reached the target (or its budget ran out). " +
                    "Steps S and examples E = B·S to the target follow McCandlish et al. (2018): (S/S_min − 1)(E/E_min − 1) = 1. Small batches need few examples but many steps; " +
                    "large batches few steps but many examples; B_crit = E_min/S_min is the knee. The gradient noise scale B_simple = tr(Σ)/|G|², measured during training from " +
                    "micro-batch gradients, predicts B_crit without the sweep. The gap is the train metric minus the validation metric at the end of each run.", "explain");
        foreach (var plot in plots) w.Image(plot);

        w.Heading(2, "Per batch size", "table");
        w.Table(
            new[] { "Batch size", "Learning rate", "Steps", "Examples", "Seconds", "Samples/s", $"Train {r.MetricName}", $"Validation {r.MetricName}", "Gap", "B_simple" },
            r.Points.Select(p => (IReadOnlyList<string>)new[]
            {
                p.BatchSize.ToString(Inv), Format.Parameter(p.LearningRate), Format.Integer(p.Steps), Format.Integer(p.Examples), Format.Duration(p.Seconds),
                Format.Integer(p.SamplesPerSecond), Format.Number(p.TrainMetric), Format.Number(p.ValidationMetric), Format.Signed(p.Gap), Format.Integer(p.GradientNoiseScale),
            }),
            numeric: new HashSet<int> { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        if (r.Notes.Count > 0)
        {
            w.Heading(2, "Notes", "notes");
            w.List(r.Notes);
        }
    }
}
