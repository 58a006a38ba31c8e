using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>
/// A search space. Every space maps to and from a unit cube <c>[0,1]^d</c> (its feature space), so a tuner works on
/// numbers in [0,1] only and serves every trainer (as in Microsoft's AutoML). Spaces serialize to the JSON format of
/// Microsoft's SearchSpace, with two additions: <c>"power_of_two"</c> on integer ranges and <c>"one_of"</c> for
/// conditional sub-spaces.
/// </summary>
public abstract class SearchSpace
{
    /// <summary>Dimensions of the unit cube this space maps to.</summary>
    public abstract int FeatureSpaceDimension { get; }

    /// <summary>The point of the space at <paramref name="feature"/> (length <see cref="FeatureSpaceDimension"/>, values in [0,1]).</summary>
    public Parameter SampleFromFeatureSpace(ReadOnlySpan<double> feature)
    {
        if (feature.Length != FeatureSpaceDimension)
            throw new ArgumentException($"Expected {FeatureSpaceDimension} feature values, got {feature.Length}.", nameof(feature));
        foreach (var f in feature)
            if (!(f >= 0 && f <= 1)) throw new ArgumentOutOfRangeException(nameof(feature), f, "Feature values must be in [0, 1].");
        return Parameter.FromNode(Sample(feature));
    }

    /// <summary>The unit-cube coordinates of <paramref name="parameter"/> (the inverse of sampling).</summary>
    public double[] MappingToFeatureSpace(Parameter parameter)
    {
        var result = new double[FeatureSpaceDimension];
        Map(parameter.ToNode(), result);
        return result;
    }

    /// <summary>The default point: each range's default (or its middle), each choice's default (or its first value).</summary>
    public Parameter Default => Parameter.FromNode(DefaultNode());

    public string ToJson(bool indented = true) => ToJsonNode().ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    public override string ToString() => ToJson(indented: false);

    public static SearchSpace FromJson(string json) =>
        SearchSpaceJson.Parse(JsonNode.Parse(json) ?? throw new JsonException("A search space cannot be JSON null."), "$");

    internal abstract JsonNode Sample(ReadOnlySpan<double> feature);
    internal abstract void Map(JsonNode? value, Span<double> feature);
    internal abstract JsonNode DefaultNode();
    internal abstract JsonNode ToJsonNode();
}
