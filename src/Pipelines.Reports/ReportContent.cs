using Pipelines.Reports.Analysis;
using Pipelines.Reports.Plots;

namespace Pipelines.Reports;

/// <summary>Everything the page shows, computed once from the input: the analyses and the rendered plots.</summary>
internal sealed record ReportContent
{
    public required StudyReportInput Input { get; init; }
    /// <summary>Every trial, in id order.</summary>
    public required IReadOnlyList<TrialFacts> Trials { get; init; }
    public TrialFacts? Best { get; init; }
    public required IReadOnlyList<BatchSizeRow> BatchSizes { get; init; }
    public required ImportanceAnalysis Importance { get; init; }
    public RenderedPlot? History { get; init; }
    public required IReadOnlyList<TrialFacts> CurveTrials { get; init; }
    public required IReadOnlyList<RenderedPlot> Curves { get; init; }
    public required IReadOnlyList<RenderedPlot> BatchSizePlots { get; init; }
    /// <summary>Importance plots by trainer name.</summary>
    public required IReadOnlyDictionary<string, RenderedPlot> ImportancePlots { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Every plot in page order.</summary>
    public IEnumerable<RenderedPlot> Plots =>
        (History is null ? Array.Empty<RenderedPlot>() : new[] { History })
            .Concat(Curves).Concat(BatchSizePlots)
            .Concat(Importance.Trainers.Where(t => ImportancePlots.ContainsKey(t.Trainer)).Select(t => ImportancePlots[t.Trainer]));

    public bool AnyTorch => Trials.Any(t => t.IsTorch);

    public static ReportContent Build(StudyReportInput input)
    {
        var trials = input.Trials.OrderBy(t => t.Id).Select(TrialFacts.From).ToList();
        var importance = ParameterImportance.Compute(trials);
        var curveTrials = LearningCurvePlot.Choose(trials, input.Direction);

        var importancePlots = new Dictionary<string, RenderedPlot>();
        var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var trainer in importance.Trainers)
        {
            var plot = ImportancePlot.Build(trainer);
            // Two trainer names can share a slug ("a b", "a-b"): number the later ones.
            string name = plot.FileName;
            for (int k = 2; !usedNames.Add(name); k++) name = plot.FileName.Replace(".png", $"-{k}.png", StringComparison.Ordinal);
            importancePlots[trainer.Trainer] = plot with { FileName = name };
        }

        return new ReportContent
        {
            Input = input,
            Trials = trials,
            Best = BestOf(trials, input),
            BatchSizes = BatchSizeTable.Build(trials, input.Direction),
            Importance = importance,
            History = HistoryPlot.Build(input.Trials, input.MetricName, input.Direction),
            CurveTrials = curveTrials,
            Curves = LearningCurvePlot.Build(curveTrials),
            BatchSizePlots = Reports.Plots.BatchSizePlots.Build(trials, input.MetricName),
            ImportancePlots = importancePlots,
            GeneratedAt = input.GeneratedAt ?? DateTimeOffset.UtcNow,
        };
    }

    /// <summary>The trial the caller named, else the completed trial with the best finite objective (lowest id on ties).</summary>
    static TrialFacts? BestOf(IReadOnlyList<TrialFacts> trials, StudyReportInput input)
    {
        if (input.BestTrialId is { } id && trials.FirstOrDefault(t => t.Trial.Id == id) is { } named) return named;
        return trials.Where(t => t.Trial.Status == TrialStatus.Completed && t.Trial.Objective is { } o && double.IsFinite(o))
            .OrderBy(t => input.Direction.ToLoss(t.Trial.Objective!.Value)).ThenBy(t => t.Trial.Id)
            .FirstOrDefault();
    }
}
