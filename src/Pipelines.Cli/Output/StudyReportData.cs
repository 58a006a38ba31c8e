using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.Cli.Runs;

namespace Pipelines.Cli.Output;

/// <summary>What a report is made from: the run's settings and everything its study holds.</summary>
internal sealed record StudyReportData
{
    public required RunSettings Settings { get; init; }
    public required StudyRecord Study { get; init; }
    /// <summary>Every trial of the study, in id order.</summary>
    public required IReadOnlyList<TrialRecord> Trials { get; init; }
    public int? BestTrialId { get; init; }
    /// <summary>The best model's metric on --test-dataset, when the run had one and has just finished.</summary>
    public double? TestMetric { get; init; }
}
