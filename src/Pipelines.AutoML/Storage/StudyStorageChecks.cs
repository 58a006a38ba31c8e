using System.Text.Json;

namespace Pipelines.AutoML.Storage;

/// <summary>Argument checks and error messages shared by the storages, so that they fail alike.</summary>
internal static class StudyStorageChecks
{
    public static void StudyArguments(string studyName, string metricName, string searchSpaceJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyName);
        ArgumentException.ThrowIfNullOrWhiteSpace(metricName);
        ArgumentNullException.ThrowIfNull(searchSpaceJson);
        try
        {
            using var _ = JsonDocument.Parse(searchSpaceJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The search space of study '{studyName}' is not valid JSON: {e.Message}", nameof(searchSpaceJson), e);
        }
    }

    public static void Step(int step) => ArgumentOutOfRangeException.ThrowIfNegative(step);

    public static void Attribute(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
    }

    public static void Finish(TrialStatus status, double durationSeconds)
    {
        if (status == TrialStatus.Running)
            throw new ArgumentException("A trial is finished with a final status, not Running.", nameof(status));
        if (!double.IsFinite(durationSeconds) || durationSeconds < 0)
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "A duration is a finite number of seconds, zero or more.");
    }

    public static KeyNotFoundException UnknownStudy(string studyName) =>
        new($"There is no study named '{studyName}'. Create it first with CreateOrOpenStudy.");

    public static KeyNotFoundException UnknownTrial(int trialId) => new($"There is no trial with id {trialId}.");

    public static InvalidOperationException NotRunning(int trialId, TrialStatus status) =>
        new($"Trial {trialId} is already {status}; only a Running trial takes intermediate values or a final result.");

    /// <summary>Storages keep instants in UTC, so records compare and sort the same after a round trip.</summary>
    public static DateTimeOffset Utc(DateTimeOffset time) => time.ToUniversalTime();
}
