namespace Pipelines.Reports.Html;

/// <summary>Section 6: every trial, completed ones ranked by objective, then pruned, diverged, failed and running ones.</summary>
internal sealed class LeaderboardSection() : ReportSection("leaderboard", "Leaderboard")
{
    protected override void WriteBody(HtmlWriter w, ReportContent c)
    {
        if (c.Trials.Count == 0)
        {
            w.Paragraph("The study has no trials yet.", "empty");
            return;
        }
        var direction = c.Input.Direction;
        var ordered = Order(c.Trials, direction);
        // The objective column only earns its place when a gap penalty made it differ from the validation metric.
        bool showObjective = c.Trials.Any(t => Penalized(t.Trial));
        string metric = c.Input.MetricName;
        var headers = new List<string> { "Rank", "Trial", "Trainer", "Status", $"Validation {metric}", $"Train {metric}", "Gap" };
        if (showObjective) headers.Add("Objective");
        headers.AddRange(new[] { "Batch size", "Epochs run", "Learning rate", "Weight decay", "Duration", "Error" });

        var inv = CultureInfo.InvariantCulture;
        int rank = 0;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var f in ordered)
        {
            var t = f.Trial;
            bool ranked = t.Status == TrialStatus.Completed && t.Objective is { } o && double.IsFinite(o);
            var row = new List<string>
            {
                ranked ? (++rank).ToString(inv) : Format.Missing, $"#{t.Id}", f.Trainer, t.Status.ToString().ToLowerInvariant(),
                Format.Number(t.ValidationMetric), Format.Number(t.TrainMetric), Format.Signed(t.GeneralizationGap),
            };
            if (showObjective) row.Add(Format.Number(t.Objective));
            row.AddRange(new[]
            {
                f.BatchSize?.ToString(inv) ?? Format.Missing, f.EpochsRun?.ToString(inv) ?? Format.Missing,
                Format.Parameter(f.LearningRate), Format.Parameter(f.WeightDecay),
                t.Status == TrialStatus.Running ? Format.Missing : Format.Duration(t.DurationSeconds),
                t.Status is TrialStatus.Failed or TrialStatus.Diverged ? t.Error ?? "" : "",
            });
            rows.Add(row);
        }
        int best = c.Best?.Trial.Id ?? int.MinValue;
        var numeric = new HashSet<int>(Enumerable.Range(0, headers.Count - 1).Where(i => i is 0 or 1 || i >= 4));
        w.Table(headers, rows, numeric,
            r => ordered[r].Trial.Id == best ? "best" : ordered[r].Trial.Status.ToString().ToLowerInvariant(), "leaderboard");
    }

    /// <summary>True when the objective is the gap-penalized metric rather than the metric itself.</summary>
    internal static bool Penalized(TrialRecord t) =>
        t.Objective is { } o && t.ValidationMetric is { } v && double.IsFinite(o) && double.IsFinite(v) && o != v;

    /// <summary>The order of <c>ExperimentResult.Leaderboard</c>, with running trials last.</summary>
    internal static IReadOnlyList<TrialFacts> Order(IEnumerable<TrialFacts> trials, OptimizationDirection direction) => trials
        .OrderBy(f => f.Trial.Status switch
        {
            TrialStatus.Completed => 0, TrialStatus.Pruned => 1, TrialStatus.Diverged => 2, TrialStatus.Failed => 3, _ => 4,
        })
        .ThenBy(f => f.Trial.Objective is { } o && double.IsFinite(o) ? direction.ToLoss(o) : double.PositiveInfinity)
        .ThenBy(f => f.Trial.Id)
        .ToList();
}
