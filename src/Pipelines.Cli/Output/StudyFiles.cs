using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Output;

/// <summary>
/// The files made from the study alone: leaderboard.csv, trials.json and, when a report writer is registered,
/// report.html. Written at the end of a run, when it is interrupted or fails, and by `pipelines report`.
/// </summary>
internal static class StudyFiles
{
    /// <summary>Writes the files and returns the report's path, or null when this build has no report writer.</summary>
    public static string? Write(OutputFolder folder, RunSettings settings, StudyRecord study, IReadOnlyList<TrialRecord> trials,
        ReportHook report, Action<string> warn, double? testMetric = null)
    {
        var ranked = TrialRanking.Rank(trials, study.Direction);
        int? bestId = TrialAttributes.ResultOf(ranked)?.Id;
        LeaderboardCsv.Write(folder.Leaderboard, ranked.Select(t => TrialRow.From(t)).ToList(), study.MetricName);
        TrialsJson.Write(folder.TrialsJson, study, settings, trials, bestId);
        if (report.Writer == null) return null;
        try
        {
            return report.Writer.Write(folder.Path, new StudyReportData(settings, study, trials.OrderBy(t => t.Id).ToList(), bestId, testMetric));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The model and the tables are written; a broken report should not turn a finished run into a failure.
            warn($"report.html could not be written: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }
}
