namespace Pipelines.AutoML.Storage;

/// <summary>Which trials a SQL storage reads: a condition on its trials table (as <c>t</c>) and the condition's parameters.</summary>
internal sealed record TrialFilter(string Sql, params (string Name, object? Value)[] Parameters)
{
    /// <summary>The trials of one study whose id is at least <paramref name="fromTrialId"/> (0: all of them).</summary>
    public static TrialFilter ByStudy(long studyId, int fromTrialId) =>
        new("t.study_id = @study AND t.trial_id >= @from", ("@study", checked((int)studyId)), ("@from", fromTrialId));

    public static TrialFilter ById(int trialId) => new("t.trial_id = @trial", ("@trial", trialId));
}
