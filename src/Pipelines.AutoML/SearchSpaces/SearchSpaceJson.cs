using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>Reads the JSON form of a search space; errors name the JSON path.</summary>
internal static class SearchSpaceJson
{
    public static SearchSpace Parse(JsonNode node, string path)
    {
        if (node is not JsonObject o) throw new JsonException($"{path}: expected an object describing a search space, got {node.ToJsonString()}.");
        try
        {
            if (o.TryGetPropertyValue("type", out var type) && type is JsonValue tv && tv.TryGetValue<string>(out var typeName))
                return Numeric(o, typeName, path);
            if (o.TryGetPropertyValue("choices", out var choices) && choices is JsonArray array)
                return new ChoiceSpace(array.Select(c => c ?? throw new JsonException($"{path}.choices: null is not a valid choice.")), o["default"]);
            if (o.TryGetPropertyValue("one_of", out var oneOf) && oneOf is JsonObject options)
                return new OneOfSpace(options.Select(p => KeyValuePair.Create(p.Key, Parse(Required(p.Value, $"{path}.one_of.{p.Key}"), $"{path}.one_of.{p.Key}"))),
                    o["default"]?.GetValue<string>());
            return new NestedSpace(o.Select(p => KeyValuePair.Create(p.Key, Parse(Required(p.Value, $"{path}.{p.Key}"), $"{path}.{p.Key}"))));
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"{path}: {e.Message}", e);
        }
    }

    static SearchSpace Numeric(JsonObject o, string typeName, string path)
    {
        var type = typeName.ToLowerInvariant() switch
        {
            "int" or "integer" => NumericType.Int,
            "float" => NumericType.Float,
            "double" => NumericType.Double,
            _ => throw new JsonException($"{path}.type: '{typeName}' is not int, float or double."),
        };
        double Number(string key) => JsonNumbers.TryToDouble(o[key], out var d)
            ? d : throw new JsonException($"{path}.{key}: a number is required.");
        return new NumericSpace(type, Number("min"), Number("max"),
            logBase: o["log_base"]?.GetValue<bool>() ?? false,
            defaultValue: o["default"] is null ? null : Number("default"),
            powerOfTwo: o["power_of_two"]?.GetValue<bool>() ?? false);
    }

    static JsonNode Required(JsonNode? node, string path) => node ?? throw new JsonException($"{path}: null is not a search space.");
}
