namespace Pipelines.Reports.Analysis;

/// <summary>
/// What the finished trials at one batch size achieved. Metric and gap columns are over completed trials (pruned ones
/// have no final metric); epochs and throughput are over every finished trial that reported them, pruned included.
/// </summary>
/// <param name="Trials">Finished trials (completed, pruned, failed, diverged) at this batch size.</param>
/// <param name="BestValidationMetric">The best validation metric in the study's direction.</param>
/// <param name="SharePruned">Pruned trials over <paramref name="Trials"/>.</param>
public sealed record BatchSizeRow(
    int BatchSize,
    int Trials,
    int Completed,
    double? BestValidationMetric,
    double? MedianValidationMetric,
    double? MedianGap,
    double? MedianEpochsRun,
    double? MedianSamplesPerSecond,
    double SharePruned,
    double? MedianGradientNoiseScale = null);
