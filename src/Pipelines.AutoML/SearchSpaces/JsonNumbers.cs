using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>Reads any JSON number node as a double, whether it was parsed from text or built from a long or float.</summary>
internal static class JsonNumbers
{
    public static double ToDouble(JsonNode node)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<double>(out var d)) return d;
            if (v.TryGetValue<long>(out var l)) return l;
            if (v.TryGetValue<int>(out var i)) return i;
            if (v.TryGetValue<float>(out var f)) return f;
            if (v.TryGetValue<decimal>(out var m)) return (double)m;
            if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number) return e.GetDouble();
        }
        if (double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        throw new InvalidOperationException($"{node.ToJsonString()} is not a number.");
    }

    public static bool TryToDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue) return false;
        try { value = ToDouble(node); return true; }
        catch (InvalidOperationException) { return false; }
    }
}
