using System.Text;
using Pipelines.AutoML.Export;

namespace Pipelines.Cli.Output;

/// <summary>
/// leaderboard.csv: one row per trial in leaderboard order, with the live table's columns, the objective, the error,
/// and one param_NAME column per tuned parameter of any trainer (empty where a trainer does not have it). The
/// metric's name is in its own column, so the file stands alone.
/// </summary>
internal static class LeaderboardCsv
{
    public static readonly string[] FixedColumns =
    {
        "rank", "trial", "trainer", "status", "metric", "validation_metric", "train_metric", "gap", "objective",
        "batch_size", "epochs_run", "learning_rate", "weight_decay", "duration_s", "error",
    };

    public static void Write(string path, IReadOnlyList<TrialRow> rankedRows, string metric)
    {
        var parameterNames = rankedRows.SelectMany(r => r.Parameters.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        Line(text, FixedColumns.Concat(parameterNames.Select(p => "param_" + p)));
        for (int i = 0; i < rankedRows.Count; i++)
        {
            var r = rankedRows[i];
            Line(text, new[]
            {
                (i + 1).ToString(CultureInfo.InvariantCulture), r.Id.ToString(CultureInfo.InvariantCulture), r.Trainer, r.Status, metric,
                Number(r.ValidationMetric), Number(r.TrainMetric), Number(r.Gap), Number(r.Objective),
                Number(r.BatchSize), Number(r.EpochsRun), Number(r.LearningRate), Number(r.WeightDecay),
                r.DurationSeconds.ToString("0.###", CultureInfo.InvariantCulture), r.Error ?? "",
            }.Concat(parameterNames.Select(p => r.Parameters.TryGetValue(p, out var v) ? v : "")));
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    static void Line(StringBuilder text, IEnumerable<string> fields)
    {
        text.AppendJoin(',', fields.Select(Escape));
        text.Append('\n');
    }

    /// <summary>RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled.</summary>
    static string Escape(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
