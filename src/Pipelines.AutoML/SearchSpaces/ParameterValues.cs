using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>Flattens a parameter tree into named leaves, the form tables and the importance analysis use.</summary>
public static class ParameterValues
{
    public static IReadOnlyList<ParameterValue> Flatten(Parameter? parameter)
    {
        var leaves = new List<ParameterValue>();
        if (parameter != null) Walk(parameter.ToNode(), "", leaves);
        return leaves;
    }

    static void Walk(JsonNode? node, string prefix, List<ParameterValue> leaves)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, child) in o) Walk(child, prefix.Length == 0 ? key : $"{prefix}.{key}", leaves);
            return;
        }
        if (prefix.Length == 0) prefix = "value";
        if (node is null)
        {
            leaves.Add(new ParameterValue(prefix, null, "null"));
            return;
        }
        switch (node.GetValueKind())
        {
            case JsonValueKind.Number:
                // Through the JSON text: a node built from a long, a float or parsed text all read the same.
                double number = double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                leaves.Add(new ParameterValue(prefix, number, number.ToString("G6", CultureInfo.InvariantCulture)));
                break;
            case JsonValueKind.String:
                leaves.Add(new ParameterValue(prefix, null, node.GetValue<string>()));
                break;
            default:
                leaves.Add(new ParameterValue(prefix, null, node.ToJsonString()));
                break;
        }
    }
}
