using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>Named sub-spaces; its points are JSON objects. Its feature space is the concatenation of its children's.</summary>
public sealed class NestedSpace : SearchSpace
{
    readonly (string Name, SearchSpace Space)[] _entries;

    public NestedSpace(IEnumerable<KeyValuePair<string, SearchSpace>> entries)
    {
        _entries = entries.Select(e => (e.Key, e.Value)).ToArray();
        var duplicate = _entries.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new ArgumentException($"The search space defines '{duplicate.Key}' twice.");
        if (_entries.Any(e => string.IsNullOrWhiteSpace(e.Name))) throw new ArgumentException("Search space names cannot be empty.");
    }

    public IReadOnlyList<string> Names => _entries.Select(e => e.Name).ToList();

    public SearchSpace this[string name] =>
        _entries.FirstOrDefault(e => e.Name == name).Space
        ?? throw new KeyNotFoundException($"The search space has no '{name}'. It has: {string.Join(", ", Names)}.");

    public bool Contains(string name) => _entries.Any(e => e.Name == name);

    /// <summary>A copy with <paramref name="name"/> replaced (or added): how users narrow or change a default space.</summary>
    public NestedSpace With(string name, SearchSpace space) =>
        new(Contains(name)
            ? _entries.Select(e => KeyValuePair.Create(e.Name, e.Name == name ? space : e.Space))
            : _entries.Select(e => KeyValuePair.Create(e.Name, e.Space)).Append(KeyValuePair.Create(name, space)));

    /// <summary>A copy without <paramref name="name"/> (the trainer then uses its own default for it).</summary>
    public NestedSpace Without(string name)
    {
        _ = this[name];
        return new(_entries.Where(e => e.Name != name).Select(e => KeyValuePair.Create(e.Name, e.Space)));
    }

    public override int FeatureSpaceDimension => _entries.Sum(e => e.Space.FeatureSpaceDimension);

    internal override JsonNode Sample(ReadOnlySpan<double> feature)
    {
        var o = new JsonObject();
        int offset = 0;
        foreach (var (name, space) in _entries)
        {
            int d = space.FeatureSpaceDimension;
            o[name] = space.Sample(feature.Slice(offset, d));
            offset += d;
        }
        return o;
    }

    internal override void Map(JsonNode? value, Span<double> feature)
    {
        var o = value as JsonObject;
        int offset = 0;
        foreach (var (name, space) in _entries)
        {
            int d = space.FeatureSpaceDimension;
            space.Map(o != null && o.TryGetPropertyValue(name, out var child) ? child : null, feature.Slice(offset, d));
            offset += d;
        }
    }

    internal override JsonNode DefaultNode()
    {
        var o = new JsonObject();
        foreach (var (name, space) in _entries) o[name] = space.DefaultNode();
        return o;
    }

    internal override JsonNode ToJsonNode()
    {
        var o = new JsonObject();
        foreach (var (name, space) in _entries) o[name] = space.ToJsonNode();
        return o;
    }
}
