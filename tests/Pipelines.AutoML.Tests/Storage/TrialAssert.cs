using Pipelines.AutoML.Trials;

namespace Pipelines.AutoML.Tests.Storage;

/// <summary>Field-by-field equality of trial records (records compare their collections by reference).</summary>
static class TrialAssert
{
    public static void Same(TrialRecord expected, TrialRecord actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Parameters, actual.Parameters);
        Assert.Equal(expected.Trainer, actual.Trainer);
        // Equal(double?, double?) uses double.Equals, for which NaN equals NaN.
        Assert.Equal(expected.IntermediateValues, actual.IntermediateValues);
        Assert.Equal(expected.Objective, actual.Objective);
        Assert.Equal(expected.ValidationMetric, actual.ValidationMetric);
        Assert.Equal(expected.TrainMetric, actual.TrainMetric);
        Assert.Equal(expected.GeneralizationGap, actual.GeneralizationGap);
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.StartedAt, actual.StartedAt);
        Assert.Equal(expected.FinishedAt, actual.FinishedAt);
        Assert.Equal(expected.DurationSeconds, actual.DurationSeconds);
        Assert.Equal(expected.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal), actual.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
    }

    public static void Same(IReadOnlyList<TrialRecord> expected, IReadOnlyList<TrialRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Same(expected[i], actual[i]);
    }
}
