using System.Text.Json;
using System.Text.Json.Serialization;
using Pipelines.Torch.BatchSize;

namespace Pipelines.Reports.Sweep;

/// <summary>
/// batch-size.json: the rows of batch-size.csv, the fit (critical_batch_size, s_min, e_min), the median measured
/// gradient_noise_scale and the recommended_batch_size, plus what the numbers refer to (target, loss, metric,
/// learning-rate rule) and the recommendation in words. Missing values are null.
/// </summary>
internal static class BatchSizeJson
{
    static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static string Format(BatchSizeSweepResult result)
    {
        var fit = result.Fit;
        var document = new Document(
            result.Points.Select(p => new Row(p.BatchSize, p.LearningRate, p.Steps, p.Examples, p.Seconds, p.SamplesPerSecond,
                Finite(p.TrainMetric), Finite(p.ValidationMetric), Finite(p.Gap), Finite(p.GradientNoiseScale))).ToList(),
            Finite(fit?.CriticalBatchSize), fit?.MinSteps, fit?.MinExamples, Finite(result.GradientNoiseScale), result.Recommendation.BatchSize,
            result.Recommendation.AcceleratorBatchSize, result.Recommendation.Text, result.TargetLoss, result.TargetGiven, result.LossName,
            result.MetricName, result.Task, result.LearningRateSelection.ToString(), result.LearningRateRule.ToString(),
            result.TrainRows, result.ValidationRows, result.Notes);
        return JsonSerializer.Serialize(document, Options);
    }

    static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    sealed record Row(
        [property: JsonPropertyName("batch_size")] int BatchSize,
        [property: JsonPropertyName("learning_rate")] double LearningRate,
        [property: JsonPropertyName("steps")] double? Steps,
        [property: JsonPropertyName("examples")] double? Examples,
        [property: JsonPropertyName("seconds")] double? Seconds,
        [property: JsonPropertyName("samples_per_second")] double SamplesPerSecond,
        [property: JsonPropertyName("train_metric")] double? TrainMetric,
        [property: JsonPropertyName("validation_metric")] double? ValidationMetric,
        [property: JsonPropertyName("gap")] double? Gap,
        [property: JsonPropertyName("gradient_noise_scale")] double? GradientNoiseScale);

    sealed record Document(
        [property: JsonPropertyName("rows")] IReadOnlyList<Row> Rows,
        [property: JsonPropertyName("critical_batch_size")] double? CriticalBatchSize,
        [property: JsonPropertyName("s_min")] double? MinSteps,
        [property: JsonPropertyName("e_min")] double? MinExamples,
        [property: JsonPropertyName("gradient_noise_scale")] double? GradientNoiseScale,
        [property: JsonPropertyName("recommended_batch_size")] int? RecommendedBatchSize,
        [property: JsonPropertyName("accelerator_batch_size")] int? AcceleratorBatchSize,
        [property: JsonPropertyName("recommendation")] string Recommendation,
        [property: JsonPropertyName("target_loss")] double TargetLoss,
        [property: JsonPropertyName("target_given")] bool TargetGiven,
        [property: JsonPropertyName("loss")] string Loss,
        [property: JsonPropertyName("metric")] string Metric,
        [property: JsonPropertyName("task")] string Task,
        [property: JsonPropertyName("learning_rate_selection")] string LearningRateSelection,
        [property: JsonPropertyName("learning_rate_rule")] string LearningRateRule,
        [property: JsonPropertyName("train_rows")] int TrainRows,
        [property: JsonPropertyName("validation_rows")] int ValidationRows,
        [property: JsonPropertyName("notes")] IReadOnlyList<string> Notes);
}
