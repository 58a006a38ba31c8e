using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.AutoML.Export;

namespace Pipelines.Cli.Output;

/// <summary>
/// trials.json: the study and every trial in id order with everything the study holds (parameters, metrics,
/// per-epoch values, attributes, the Torch training report as JSON), for scripts and notebooks.
/// </summary>
internal static class TrialsJson
{
    public static void Write(string path, StudyRecord study, RunSettings settings, IReadOnlyList<TrialRecord> trials, int? bestTrialId)
    {
        var root = new JsonObject
        {
            ["study"] = study.Name,
            ["task"] = settings.Task.ToString(),
            ["metric"] = study.MetricName,
            ["direction"] = study.Direction.ToString(),
            ["best_trial"] = bestTrialId,
            ["trials"] = new JsonArray(trials.OrderBy(t => t.Id).Select(Trial).ToArray<JsonNode?>()),
        };
        AtomicFile.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    static JsonNode Trial(TrialRecord t)
    {
        var row = TrialRow.From(t);
        var attributes = new JsonObject();
        JsonNode? trainingReport = null;
        foreach (var (key, value) in t.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (key == "training_report") trainingReport = TryParse(value);
            else attributes[key] = value;
        }
        return new JsonObject
        {
            ["id"] = t.Id,
            ["trainer"] = t.Trainer,
            ["status"] = row.Status,
            ["parameters"] = t.Parameters.ToNode(),
            ["objective"] = Number(t.Objective),
            ["validation_metric"] = Number(t.ValidationMetric),
            ["train_metric"] = Number(t.TrainMetric),
            ["gap"] = Number(t.GeneralizationGap),
            ["batch_size"] = row.BatchSize,
            ["epochs_run"] = row.EpochsRun,
            ["error"] = t.Error,
            ["started_at"] = t.StartedAt,
            ["finished_at"] = t.FinishedAt,
            ["duration_seconds"] = t.DurationSeconds,
            ["intermediate_values"] = new JsonArray(t.IntermediateValues
                .Select(v => (JsonNode?)new JsonObject { ["step"] = v.Step, ["value"] = Number(v.Value) }).ToArray()),
            ["attributes"] = attributes,
            ["training_report"] = trainingReport,
        };
    }

    /// <summary>JSON has no NaN or infinity: such values are written as null.</summary>
    static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    static JsonNode? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}
