using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Output;

/// <summary>
/// What a report is made from: the run's settings and everything its study holds (every trial, in id order), and the
/// best model's metric on --test-dataset when the run had one and has just finished.
/// </summary>
internal sealed record StudyReportData(RunSettings Settings, StudyRecord Study, IReadOnlyList<TrialRecord> Trials, int? BestTrialId, double? TestMetric);
