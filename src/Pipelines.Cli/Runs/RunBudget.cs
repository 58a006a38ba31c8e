using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Runs;

/// <summary>
/// What one invocation may spend, in seconds and trials (null: no limit). A new run gets its options' budget. A
/// resumed run continues with what its own budget has left: trials that finished on their own count as spent,
/// interrupted and cancelled ones do not; the time spent is the time during which the study's trials ran. Values
/// given on the resume command line replace that budget.
/// </summary>
internal sealed record RunBudget(double? Seconds, int? Trials)
{
    /// <summary>mlnet's default exploration time (30 minutes), used when neither --train-time nor --max-trials is given.</summary>
    public const double DefaultSeconds = 1800;

    /// <summary>--train-time and --max-trials as every command that runs trials takes them: positive when given.</summary>
    public static void CheckOptions(double? trainTime, int? maxTrials)
    {
        if (trainTime is <= 0) throw CliException.Input($"--train-time {trainTime}: the time budget must be positive.");
        if (maxTrials is < 1) throw CliException.Input($"--max-trials {maxTrials}: at least one trial.");
    }

    public static RunBudget ForNewRun(RunSettings settings) => new(settings.TrainTimeSeconds, settings.MaxTrials);

    public static RunBudget ForResume(RunSettings settings, IReadOnlyList<TrialRecord> trials, double? seconds, int? maxTrials, string folder)
    {
        if (seconds != null || maxTrials != null) return new RunBudget(seconds, maxTrials);
        int spentTrials = trials.Count(TrialRow.CountsAgainstBudget);
        double spentSeconds = SecondsSpent(trials);
        int? trialsLeft = settings.MaxTrials - spentTrials;
        double? secondsLeft = settings.TrainTimeSeconds - spentSeconds;
        if (trialsLeft <= 0 || secondsLeft < 1)
        {
            var spent = trialsLeft <= 0
                ? $"{spentTrials} of {settings.MaxTrials} trials (--max-trials {settings.MaxTrials})"
                : $"{spentSeconds:F0} of {settings.TrainTimeSeconds:F0} seconds (--train-time {settings.TrainTimeSeconds:F0})";
            throw CliException.Input(
                $"The run in {folder} has used its budget: {spent}. Give it more with " +
                $"`pipelines resume --output {folder} --max-trials N` or `--train-time SECONDS`.");
        }
        return new RunBudget(secondsLeft, trialsLeft);
    }

    /// <summary>The length of the union of the trials' running intervals: parallel trials count once, pauses between runs not at all.</summary>
    public static double SecondsSpent(IEnumerable<TrialRecord> trials)
    {
        var intervals = trials
            .Where(t => t.FinishedAt != null)
            .Select(t => (Start: t.StartedAt, End: t.FinishedAt!.Value))
            .Where(i => i.End > i.Start)
            .OrderBy(i => i.Start);
        double total = 0;
        DateTimeOffset? start = null, end = null;
        foreach (var (s, e) in intervals)
        {
            if (end is { } current && s <= current)
            {
                if (e > current) end = e;
                continue;
            }
            if (start != null) total += (end!.Value - start.Value).TotalSeconds;
            (start, end) = (s, e);
        }
        if (start != null) total += (end!.Value - start.Value).TotalSeconds;
        return total;
    }

    public string Describe()
    {
        var parts = new List<string>();
        if (Trials is { } n) parts.Add(n == 1 ? "1 trial" : $"{n} trials");
        if (Seconds is { } s) parts.Add(s.ToString("F0", CultureInfo.InvariantCulture) + " s");
        return parts.Count == 0 ? "no limit" : "at most " + string.Join(" and ", parts);
    }
}
