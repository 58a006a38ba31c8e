using Pipelines.Reports.Analysis;

namespace Pipelines.Reports.Html;

/// <summary>Section 5: how much of the objective's variance each tuned parameter explains, and how that was computed.</summary>
internal sealed class ImportanceSection() : ReportSection("importance", "Parameter importance")
{
    protected override void WriteBody(HtmlWriter w, ReportContent c)
    {
        var analysis = c.Importance;
        w.Paragraph("Importance is the share of the objective's variation over completed trials that a parameter explains; each trainer's shares sum to 100%. " +
            "Trainers tune different parameters, so each is analysed on its own trials. " +
            $"With at least {ParameterImportance.ForestMinimumTrials} completed trials, a random forest (ML.NET FastForest, 200 trees) is fitted from the trainer's parameters to the objective, " +
            "as Optuna's fANOVA evaluator does, and each parameter's importance is the permutation importance: how much the forest's squared error grows when that parameter's values are shuffled across trials. " +
            $"With {ParameterImportance.MinimumTrials} to {ParameterImportance.ForestMinimumTrials - 1} trials, a binned variance decomposition is used instead: trials are grouped by the parameter's value " +
            "(up to four equal-count bins for numbers) and the share of variance between the groups (eta squared) is the parameter's raw importance. " +
            "Both measure association within this study's trials, not causation: parameters that the tuner changed together share credit.", "explain");
        if (analysis.TrainerShare is { } share)
            w.Paragraph($"The choice of trainer alone explains {Format.Percent(share)} of the objective's variance across all completed trials (eta squared over trainers).");
        if (analysis.Trainers.Count == 0)
            w.Paragraph($"Not enough completed trials to rank parameters: each trainer needs at least {ParameterImportance.MinimumTrials} completed trials whose parameters vary.", "empty");
        foreach (var trainer in analysis.Trainers)
        {
            w.Element("h3", trainer.Trainer);
            string method = trainer.Method == ImportanceMethod.PermutationForest ? "random forest with permutation importance" : "binned variance decomposition";
            w.Paragraph($"{trainer.Trials} completed trials; method: {method}." + (trainer.Note is null ? "" : $" Note: {trainer.Note}."));
            if (c.ImportancePlots.TryGetValue(trainer.Trainer, out var plot)) w.Image(plot);
            w.Table(new[] { "Parameter", "Importance" },
                trainer.Parameters.Select(p => (IReadOnlyList<string>)new[] { p.Parameter, Format.Percent(p.Importance) }),
                numeric: new HashSet<int> { 1 });
        }
        if (analysis.Skipped.Count > 0)
        {
            w.Paragraph("Not analysed:");
            w.List(analysis.Skipped);
        }
    }
}
