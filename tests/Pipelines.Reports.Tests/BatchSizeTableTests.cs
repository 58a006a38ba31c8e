using Pipelines.AutoML.Trials;
using Pipelines.Reports.Analysis;

namespace Pipelines.Reports.Tests;

/// <summary>The per-batch-size table, checked number by number on hand-made trials.</summary>
public class BatchSizeTableTests
{
    static IReadOnlyList<TrialFacts> Facts(params TrialRecord[] trials) => trials.Select(TrialFacts.From).ToList();

    static readonly TrialRecord[] Trials =
    {
        SyntheticStudy.Torch(1, 32, 0.80, 0.02, epochs: 10, samplesPerSecond: 1000),
        SyntheticStudy.Torch(2, 32, 0.84, 0.04, epochs: 20, samplesPerSecond: 1200),
        SyntheticStudy.Torch(3, 32, 0.60, 0.00, TrialStatus.Pruned, epochs: 20, epochsRun: 3, samplesPerSecond: 1100),
        SyntheticStudy.Torch(4, 128, 0.78, 0.10, epochs: 30, samplesPerSecond: 4000),
        SyntheticStudy.Failed(5, "boom", batchSize: 128),
        // Not in the table: a running trial and a trainer without batches.
        SyntheticStudy.Torch(6, 128, 0.99, 0.0, TrialStatus.Running, epochsRun: 2),
        SyntheticStudy.FastTree(7, 0.90, 0.01),
    };

    [Fact]
    public void EachBatchSizeCarriesTheMedianMeasuredNoiseScale()
    {
        TrialRecord WithNoise(TrialRecord t, double b) =>
            t with { Attributes = new Dictionary<string, string>(t.Attributes) { [TrialAttributes.GradientNoiseScale] = b.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        var rows = BatchSizeTable.Build(Facts(WithNoise(Trials[0], 100), WithNoise(Trials[1], 300), Trials[2], WithNoise(Trials[3], 50)), OptimizationDirection.Maximize);
        Assert.Equal(200, rows[0].MedianGradientNoiseScale!.Value, 9); // the trial without a measurement is left out
        Assert.Equal(50, rows[1].MedianGradientNoiseScale!.Value, 9);
        Assert.Null(BatchSizeTable.Build(Facts(Trials), OptimizationDirection.Maximize)[0].MedianGradientNoiseScale);
    }

    [Fact]
    public void RowsHoldTheRightNumbers()
    {
        var rows = BatchSizeTable.Build(Facts(Trials), OptimizationDirection.Maximize);
        Assert.Equal(new[] { 32, 128 }, rows.Select(r => r.BatchSize));

        var small = rows[0];
        Assert.Equal(3, small.Trials);
        Assert.Equal(2, small.Completed);
        Assert.Equal(0.84, small.BestValidationMetric!.Value, 12);
        Assert.Equal(0.82, small.MedianValidationMetric!.Value, 12);
        Assert.Equal(0.03, small.MedianGap!.Value, 12);
        Assert.Equal(10, small.MedianEpochsRun); // median of 10, 20 and the pruned trial's 3
        Assert.Equal(1100, small.MedianSamplesPerSecond!.Value, 9);
        Assert.Equal(1 / 3.0, small.SharePruned, 12);

        var large = rows[1];
        Assert.Equal(2, large.Trials); // the completed and the failed trial; the running one is left out
        Assert.Equal(1, large.Completed);
        Assert.Equal(0.78, large.BestValidationMetric!.Value, 12);
        Assert.Equal(0.78, large.MedianValidationMetric!.Value, 12);
        Assert.Equal(0.10, large.MedianGap!.Value, 12);
        Assert.Equal(30, large.MedianEpochsRun); // the failed trial ran no epoch
        Assert.Equal(4000, large.MedianSamplesPerSecond!.Value, 9);
        Assert.Equal(0, large.SharePruned);
    }

    [Fact]
    public void BestFollowsTheDirection()
    {
        var rows = BatchSizeTable.Build(Facts(Trials), OptimizationDirection.Minimize);
        Assert.Equal(0.80, rows[0].BestValidationMetric!.Value, 12);
    }

    [Fact]
    public void NonFiniteMetricsAreLeftOutOfMediansAndBest()
    {
        var odd = SyntheticStudy.Torch(8, 32, 0.5, 0.0) with { ValidationMetric = double.NaN, GeneralizationGap = double.PositiveInfinity };
        var rows = BatchSizeTable.Build(Facts(Trials.Append(odd).ToArray()), OptimizationDirection.Maximize);
        Assert.Equal(4, rows[0].Trials);
        Assert.Equal(3, rows[0].Completed);
        Assert.Equal(0.84, rows[0].BestValidationMetric!.Value, 12);
        Assert.Equal(0.82, rows[0].MedianValidationMetric!.Value, 12);
        Assert.Equal(0.03, rows[0].MedianGap!.Value, 12);
    }

    [Fact]
    public void TheBatchSizeComesFromTheAttributeThenTheReportThenTheParameters()
    {
        var trial = SyntheticStudy.Torch(1, 512, 0.8, 0.0);
        // The trainer capped the batch at the training rows: the attribute says what was used.
        var capped = trial with { Attributes = new Dictionary<string, string>(trial.Attributes) { ["batch_size"] = "455" } };
        Assert.Equal(455, TrialFacts.From(capped).BatchSize);
        var noAttribute = trial with { Attributes = trial.Attributes.Where(a => a.Key != "batch_size").ToDictionary() };
        Assert.Equal(512, TrialFacts.From(noAttribute).BatchSize);
        Assert.Equal(32, TrialFacts.From(SyntheticStudy.Failed(2, "x", batchSize: 32)).BatchSize);
        Assert.Null(TrialFacts.From(SyntheticStudy.FastTree(3, 0.8, 0.0)).BatchSize);
    }

    [Fact]
    public void MalformedAttributesReadAsMissing()
    {
        var trial = SyntheticStudy.Torch(1, 64, 0.8, 0.0);
        var broken = trial with
        {
            Attributes = new Dictionary<string, string> { ["training_report"] = "{not json", ["batch_size"] = "many", ["samples_per_second"] = "fast" },
        };
        var facts = TrialFacts.From(broken);
        Assert.Null(facts.Report);
        Assert.Equal(64, facts.BatchSize); // from the parameters
        Assert.Null(facts.SamplesPerSecond);
    }
}
