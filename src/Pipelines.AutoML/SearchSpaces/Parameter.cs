using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>
/// A sampled point of a search space: a JSON tree (objects for nested spaces, numbers, strings, booleans), in the
/// JSON format of Microsoft's SearchSpace <c>Parameter</c>. Read values with the indexer and <c>As*</c>, or bind
/// the whole tree to an options class with <see cref="AsType{T}"/>.
/// </summary>
public sealed class Parameter : IEquatable<Parameter>
{
    static readonly JsonSerializerOptions BindOptions = new() { PropertyNameCaseInsensitive = true, IncludeFields = true };
    readonly JsonNode _node;

    Parameter(JsonNode node) => _node = node;

    /// <summary>An empty object parameter.</summary>
    public static Parameter CreateObject() => new(new JsonObject());

    public static Parameter FromNode(JsonNode node) => new(node.DeepClone());

    public static Parameter FromJson(string json) =>
        new(JsonNode.Parse(json) ?? throw new JsonException("A parameter cannot be JSON null."));

    public static Parameter FromDouble(double value) => new(JsonValue.Create(value));
    public static Parameter FromInt(int value) => new(JsonValue.Create(value));
    public static Parameter FromString(string value) => new(JsonValue.Create(value));
    public static Parameter FromBool(bool value) => new(JsonValue.Create(value));

    /// <summary>A copy of the JSON tree.</summary>
    public JsonNode ToNode() => _node.DeepClone();

    public string ToJson(bool indented = false) => _node.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    public override string ToString() => ToJson();

    public bool IsObject => _node is JsonObject;

    /// <summary>The child named <paramref name="key"/> of an object parameter.</summary>
    public Parameter this[string key]
    {
        get
        {
            if (_node is not JsonObject o) throw new InvalidOperationException($"Parameter {ToJson()} is not an object; it has no '{key}'.");
            if (!o.TryGetPropertyValue(key, out var child) || child is null)
                throw new KeyNotFoundException($"Parameter has no '{key}'. It has: {string.Join(", ", o.Select(p => p.Key))}.");
            return new Parameter(child);
        }
    }

    public bool ContainsKey(string key) => _node is JsonObject o && o.ContainsKey(key);

    /// <summary>The names of an object parameter's children, in order.</summary>
    public IEnumerable<string> Keys => _node is JsonObject o ? o.Select(p => p.Key) : Enumerable.Empty<string>();

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/> (object parameters only).</summary>
    public Parameter With(string key, Parameter value)
    {
        if (_node.DeepClone() is not JsonObject o) throw new InvalidOperationException("Only object parameters have children.");
        o[key] = value._node.DeepClone();
        return new Parameter(o);
    }

    public double AsDouble() => JsonNumbers.ToDouble(_node);
    public float AsFloat() => (float)JsonNumbers.ToDouble(_node);
    public int AsInt() => checked((int)Math.Round(JsonNumbers.ToDouble(_node)));
    public string AsString() => _node.GetValue<string>();
    public bool AsBool() => _node.GetValue<bool>();

    /// <summary>Binds an object parameter to <typeparamref name="T"/> (property and field names match keys, case-insensitively).</summary>
    public T AsType<T>() => _node.Deserialize<T>(BindOptions) ?? throw new JsonException($"Parameter {ToJson()} does not bind to {typeof(T).Name}.");

    public bool Equals(Parameter? other) => other is not null && JsonNode.DeepEquals(_node, other._node);
    public override bool Equals(object? obj) => Equals(obj as Parameter);
    public override int GetHashCode() => ToJson().GetHashCode();
}
