using Pipelines.AutoML.Storage;

namespace Pipelines.AutoML.Experiment;

/// <summary>Why an experiment ended without a model, in one message: no time for any trial, or what the trials failed with.</summary>
internal static class FailureSummary
{
    public static AutoMLException NoModel(IReadOnlyList<TrialRecord> trials, TimeSpan elapsed, bool cancelled, double? budgetSeconds)
    {
        if (trials.Count == 0 || trials.All(t => t.Status == TrialStatus.Failed && t.Error == IStudyStorage.BudgetError))
        {
            string first = trials.Count == 0 ? "no trial started" : $"the first trial ran {trials[0].DurationSeconds:F1} s without finishing";
            return new AutoMLException(cancelled
                ? $"The experiment was cancelled after {elapsed.TotalSeconds:F1} s before any trial finished."
                : $"The time budget of {budgetSeconds:F0} s ended before any trial finished ({first}). Give the experiment more time.", trials);
        }
        var summary = trials.GroupBy(t => $"{t.Status}: {t.Error ?? "no model"}")
            .OrderByDescending(g => g.Count())
            .Select(g => $"  {g.Count()} x {g.Key} (trainers: {string.Join(", ", g.Select(t => t.Trainer).Distinct())})");
        return new AutoMLException($"All {trials.Count} trials failed; none produced a model:{Environment.NewLine}{string.Join(Environment.NewLine, summary)}", trials);
    }
}
