namespace Pipelines.Reports.Html;

/// <summary>Section 1: the best trial, the trials by status, the time spent and the study's settings.</summary>
internal sealed class SummarySection() : ReportSection("summary", "Summary")
{
    protected override void WriteBody(HtmlWriter w, ReportContent c)
    {
        var input = c.Input;
        int running = c.Trials.Count(t => t.Trial.Status == TrialStatus.Running);
        if (running > 0)
            w.Paragraph(running == 1
                ? "The study was still running: 1 trial was unfinished when this report was written. Its numbers are not final."
                : $"The study was still running: {running} trials were unfinished when this report was written. Their numbers are not final.", "notice");

        w.Raw("<div class=\"cards\">\n<div class=\"card\">\n");
        w.Element("h3", "Best trial");
        if (c.Best is { } best) WriteBest(w, best, input);
        else
        {
            w.Paragraph("No trial completed with a finite objective, so there is no best trial.", "empty");
            var common = c.Trials.Where(t => t.Trial.Error != null).GroupBy(t => t.Trial.Error!).OrderByDescending(g => g.Count()).FirstOrDefault();
            if (common != null) w.Paragraph($"Most common error ({common.Count()} of {c.Trials.Count} trials): {common.Key}");
        }
        w.Raw("</div>\n<div class=\"card\">\n");
        w.Element("h3", "Trials");
        var counts = new List<(string, string)>
        {
            ("Completed", Count(c, TrialStatus.Completed)),
            ("Pruned", Count(c, TrialStatus.Pruned)),
            ("Failed", Count(c, TrialStatus.Failed)),
            ("Diverged", Count(c, TrialStatus.Diverged)),
        };
        if (running > 0) counts.Add(("Running", running.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        counts.Add(("Total", c.Trials.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        counts.Add(("Wall time", input.Elapsed is { } e ? Format.Duration(e.TotalSeconds) : Format.Missing));
        counts.Add(("Time in trials", Format.Duration(c.Trials.Sum(t => double.IsFinite(t.Trial.DurationSeconds) ? t.Trial.DurationSeconds : 0))));
        w.Pairs(counts);
        w.Raw("</div>\n<div class=\"card\">\n");
        w.Element("h3", "Settings");
        var settings = new List<(string, string)>
        {
            ("Task", input.Task.ToString()),
            ("Metric", $"{input.MetricName} ({(input.Direction == OptimizationDirection.Maximize ? "maximized" : "minimized")})"),
            ("Label column", input.LabelColumn),
        };
        settings.AddRange(input.Settings.Select(s => (s.Key, s.Value)));
        w.Pairs(settings);
        w.Raw("</div>\n</div>\n");
    }

    static void WriteBest(HtmlWriter w, TrialFacts best, StudyReportInput input)
    {
        var t = best.Trial;
        var rows = new List<(string, string)>
        {
            ("Trial", $"#{t.Id} ({t.Status.ToString().ToLowerInvariant()})"),
            ("Trainer", best.Trainer),
            ($"Validation {input.MetricName}", Format.Number(t.ValidationMetric)),
        };
        if (LeaderboardSection.Penalized(t)) rows.Add(("Objective (gap-penalized)", Format.Number(t.Objective)));
        rows.Add(($"Train {input.MetricName}", Format.Number(t.TrainMetric)));
        rows.Add(("Generalization gap", Format.Signed(t.GeneralizationGap)));
        if (best.BatchSize is { } b) rows.Add(("Batch size", b.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (best.EpochsRun is { } e) rows.Add(("Epochs run", e.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (best.Report != null && best.LearningRate is { } lr) rows.Add(("Learning rate used", Format.Parameter(lr)));
        rows.Add(("Duration", Format.Duration(t.DurationSeconds)));
        w.Pairs(rows);
        var parameters = ParameterValues.Flatten(best.TrainerParameters);
        if (parameters.Count > 0)
        {
            w.Element("h3", "Its parameters");
            w.Pairs(parameters.Select(p => (p.Name, p.Number is { } n ? Format.Parameter(n) : p.Text)));
        }
    }

    static string Count(ReportContent c, TrialStatus status) =>
        c.Trials.Count(t => t.Trial.Status == status).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
