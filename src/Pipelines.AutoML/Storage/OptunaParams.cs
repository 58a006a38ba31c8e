using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.AutoML.Storage;

/// <summary>One row of Optuna's <c>trial_params</c>: a name, its value as a float, and the distribution's JSON.</summary>
internal sealed record OptunaParam(string Name, double Value, string DistributionJson);

/// <summary>
/// A sampled point as Optuna's <c>trial_params</c> rows, so that Python sees a trial's parameters: nested members
/// are flattened to dotted names (<c>hidden.layers</c>); a whole number is an <c>IntDistribution</c>, another number a
/// <c>FloatDistribution</c>, each over the single value (a trial does not know its space's range); a string, a
/// boolean, null or a list (as its JSON text) is a <c>CategoricalDistribution</c> of that one choice, value 0, as
/// Optuna stores a categorical's index. The exact point is kept beside it (<see cref="OptunaAttributes.Parameters"/>).
/// </summary>
internal static class OptunaParams
{
    public static IReadOnlyList<OptunaParam> Flatten(Parameter parameters)
    {
        var rows = new List<OptunaParam>();
        Add(rows, "", parameters.ToNode());
        return rows;
    }

    static void Add(List<OptunaParam> rows, string name, JsonNode? node)
    {
        if (node is JsonObject members)
        {
            foreach (var (key, child) in members) Add(rows, name.Length == 0 ? key : $"{name}.{key}", child);
            return;
        }
        if (name.Length == 0) return;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            var text = value.ToJsonString();
            double number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            bool whole = !text.Contains('.') && !text.Contains('e') && !text.Contains('E');
            rows.Add(new OptunaParam(name, number, whole ? IntDistribution(text) : FloatDistribution(number)));
            return;
        }
        JsonNode? choice = node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() is JsonValueKind.String or JsonValueKind.True or JsonValueKind.False => v.DeepClone(),
            _ => JsonValue.Create(node.ToJsonString()),
        };
        rows.Add(new OptunaParam(name, 0, Distribution("CategoricalDistribution", new JsonObject { ["choices"] = new JsonArray(choice) })));
    }

    static string IntDistribution(string value) => Distribution("IntDistribution", new JsonObject
    {
        ["log"] = false, ["step"] = 1, ["low"] = JsonNode.Parse(value), ["high"] = JsonNode.Parse(value),
    });

    static string FloatDistribution(double value) => Distribution("FloatDistribution", new JsonObject
    {
        ["step"] = null, ["low"] = value, ["high"] = value, ["log"] = false,
    });

    static string Distribution(string name, JsonObject attributes) =>
        new JsonObject { ["name"] = name, ["attributes"] = attributes }.ToJsonString();
}
