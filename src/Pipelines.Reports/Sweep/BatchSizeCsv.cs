using System.Text;
using Pipelines.Torch.BatchSize;

namespace Pipelines.Reports.Sweep;

/// <summary>batch-size.csv: one row per batch size, smallest first; an empty cell where a value does not exist (a batch size that never reached the target).</summary>
internal static class BatchSizeCsv
{
    public static readonly string[] Columns =
    {
        "batch_size", "learning_rate", "steps", "examples", "seconds", "samples_per_second",
        "train_metric", "validation_metric", "gap", "gradient_noise_scale",
    };

    public static string Format(BatchSizeSweepResult result)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns).Append('\n');
        foreach (var p in result.Points)
        {
            text.AppendJoin(',', new[]
            {
                p.BatchSize.ToString(CultureInfo.InvariantCulture), Number(p.LearningRate), Number(p.Steps), Number(p.Examples), Number(p.Seconds),
                Number(p.SamplesPerSecond), Number(p.TrainMetric), Number(p.ValidationMetric), Number(p.Gap), Number(p.GradientNoiseScale),
            }).Append('\n');
        }
        return text.ToString();
    }

    static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
