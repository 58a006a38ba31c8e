using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.AutoML.Storage;

/// <summary>
/// Attribute values as Optuna's <c>value_json</c> holds them: JSON that Python's <c>json.loads</c> reads, numbers
/// written with NaN, Infinity and -Infinity as Python writes them, strings as JSON strings.
/// </summary>
internal static class OptunaJson
{
    public static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static double ReadNumber(string json) => json.Trim() switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        var text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static string String(string value) => JsonSerializer.Serialize(value);

    /// <summary>A JSON string's text; any other JSON (an attribute Optuna users wrote) as its JSON text.</summary>
    public static string ReadString(string json)
    {
        var node = JsonNode.Parse(json);
        return node is JsonValue value && value.TryGetValue<string>(out var text) ? text : json;
    }

    public static string Time(DateTimeOffset time) => String(time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

    public static DateTimeOffset ReadTime(string json) => DateTimeOffset.Parse(ReadString(json), CultureInfo.InvariantCulture,
        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Worker(WorkerIdentity worker) => new JsonObject
    {
        ["id"] = worker.WorkerId,
        ["pid"] = worker.ProcessId,
        ["machine"] = worker.MachineName,
        ["process_started_at"] = worker.ProcessStartedAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    }.ToJsonString();

    /// <summary>The worker of a trial; one Optuna itself created has none, and is judged by its heartbeat alone.</summary>
    public static WorkerIdentity ReadWorker(string? json)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject o) return new WorkerIdentity("optuna", 0, "", null);
        var started = o["process_started_at"]?.GetValue<string>();
        return new WorkerIdentity(o["id"]!.GetValue<string>(), o["pid"]!.GetValue<int>(), o["machine"]!.GetValue<string>(),
            started is null ? null : DateTimeOffset.Parse(started, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
    }
}
