using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>A choice among values (strings, numbers or booleans); one unit-cube dimension split into equal bins.</summary>
public sealed class ChoiceSpace : SearchSpace
{
    readonly JsonNode[] _choices;

    public IReadOnlyList<JsonNode> Choices => _choices;
    public int DefaultIndex { get; }

    public ChoiceSpace(IEnumerable<JsonNode> choices, JsonNode? defaultValue = null)
    {
        _choices = choices.Select(c => c?.DeepClone() ?? throw new ArgumentException("A choice cannot be null.")).ToArray();
        if (_choices.Length == 0) throw new ArgumentException("A choice needs at least one value.");
        for (int i = 0; i < _choices.Length; i++)
            for (int j = i + 1; j < _choices.Length; j++)
                if (JsonNode.DeepEquals(_choices[i], _choices[j]))
                    throw new ArgumentException($"The choice lists {_choices[i].ToJsonString()} twice.");
        DefaultIndex = defaultValue is null ? 0 : IndexOf(defaultValue);
        if (DefaultIndex < 0) throw new ArgumentException($"Default {defaultValue!.ToJsonString()} is not one of the choices.");
    }

    public static ChoiceSpace Of(params object[] values) => new(values.Select(ToNode));

    public static ChoiceSpace Boolean(bool defaultValue = false) => new(new JsonNode[] { JsonValue.Create(false), JsonValue.Create(true) }, JsonValue.Create(defaultValue));

    public override int FeatureSpaceDimension => 1;

    public int IndexOf(JsonNode value)
    {
        for (int i = 0; i < _choices.Length; i++)
            if (JsonNode.DeepEquals(_choices[i], value)) return i;
        // Numbers compare by value (1 and 1.0 are the same choice).
        if (JsonNumbers.TryToDouble(value, out var d))
            for (int i = 0; i < _choices.Length; i++)
                if (JsonNumbers.TryToDouble(_choices[i], out var cd) && cd == d) return i;
        return -1;
    }

    public int IndexAt(double u) => Math.Min(_choices.Length - 1, (int)Math.Floor(Math.Clamp(u, 0, 1) * _choices.Length));

    internal override JsonNode Sample(ReadOnlySpan<double> feature) => _choices[IndexAt(feature[0])].DeepClone();

    internal override void Map(JsonNode? value, Span<double> feature)
    {
        int index = value is null ? DefaultIndex : IndexOf(value);
        if (index < 0) throw new ArgumentException($"{value!.ToJsonString()} is not one of the choices {ToJson(false)}.");
        feature[0] = (index + 0.5) / _choices.Length;
    }

    internal override JsonNode DefaultNode() => _choices[DefaultIndex].DeepClone();

    internal override JsonNode ToJsonNode() => new JsonObject
    {
        ["choices"] = new JsonArray(_choices.Select(c => c.DeepClone()).ToArray()),
        ["default"] = _choices[DefaultIndex].DeepClone(),
    };

    internal static JsonNode ToNode(object value) => value switch
    {
        JsonNode n => n.DeepClone(),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        float f => JsonValue.Create(f),
        double d => JsonValue.Create(d),
        Enum e => JsonValue.Create(e.ToString()),
        _ => throw new ArgumentException($"Choice values must be strings, numbers, booleans or enums; got {value.GetType().Name}."),
    };
}
