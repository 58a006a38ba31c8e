using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>
/// A conditional space: one of several named options, each with its own sub-space (for example one space per
/// trainer). A point is <c>{"option": "fasttree", "parameters": {...}}</c>. The feature space is one dimension for
/// the option followed by every option's dimensions; only the chosen option's slice matters for the point.
/// </summary>
public sealed class OneOfSpace : SearchSpace
{
    public const string OptionKey = "option";
    public const string ParametersKey = "parameters";

    readonly (string Name, SearchSpace Space)[] _options;
    readonly ChoiceSpace _selector;

    public OneOfSpace(IEnumerable<KeyValuePair<string, SearchSpace>> options, string? defaultOption = null)
    {
        _options = options.Select(o => (o.Key, o.Value)).ToArray();
        if (_options.Length == 0) throw new ArgumentException("A one_of space needs at least one option.");
        _selector = new ChoiceSpace(_options.Select(o => (JsonNode)JsonValue.Create(o.Name)!), defaultOption is null ? null : JsonValue.Create(defaultOption));
    }

    public IReadOnlyList<string> OptionNames => _options.Select(o => o.Name).ToList();

    public SearchSpace this[string option] =>
        _options.FirstOrDefault(o => o.Name == option).Space ?? throw new KeyNotFoundException($"No option '{option}'. Options: {string.Join(", ", OptionNames)}.");

    public override int FeatureSpaceDimension => 1 + _options.Sum(o => o.Space.FeatureSpaceDimension);

    /// <summary>The feature-space slice [offset, offset + length) that belongs to <paramref name="option"/>.</summary>
    public (int Offset, int Length) SliceOf(string option)
    {
        int offset = 1;
        foreach (var (name, space) in _options)
        {
            if (name == option) return (offset, space.FeatureSpaceDimension);
            offset += space.FeatureSpaceDimension;
        }
        throw new KeyNotFoundException($"No option '{option}'.");
    }

    internal override JsonNode Sample(ReadOnlySpan<double> feature)
    {
        var (name, space) = _options[_selector.IndexAt(feature[0])];
        var (offset, length) = SliceOf(name);
        return new JsonObject { [OptionKey] = name, [ParametersKey] = space.Sample(feature.Slice(offset, length)) };
    }

    internal override void Map(JsonNode? value, Span<double> feature)
    {
        string chosen = value is JsonObject o && o.TryGetPropertyValue(OptionKey, out var n) && n is not null
            ? n.GetValue<string>() : _options[_selector.DefaultIndex].Name;
        _selector.Map(JsonValue.Create(chosen), feature[..1]);
        foreach (var (name, space) in _options)
        {
            var (offset, length) = SliceOf(name);
            JsonNode? child = name == chosen && value is JsonObject obj && obj.TryGetPropertyValue(ParametersKey, out var p) ? p : null;
            space.Map(child, feature.Slice(offset, length));
        }
    }

    internal override JsonNode DefaultNode()
    {
        var (name, space) = _options[_selector.DefaultIndex];
        return new JsonObject { [OptionKey] = name, [ParametersKey] = space.DefaultNode() };
    }

    internal override JsonNode ToJsonNode()
    {
        var options = new JsonObject();
        foreach (var (name, space) in _options) options[name] = space.ToJsonNode();
        return new JsonObject { ["one_of"] = options, ["default"] = _options[_selector.DefaultIndex].Name };
    }
}
