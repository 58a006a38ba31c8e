using System.Text.Json.Nodes;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>The value type of a numeric range, as Microsoft's SearchSpace JSON names it.</summary>
public enum NumericType
{
    Int,
    Float,
    Double,
}

/// <summary>
/// A numeric range [min, max], uniform on a linear or logarithmic scale. Integer ranges can be restricted to powers
/// of two (searched on a log2 scale), the natural grid for batch sizes.
/// </summary>
public sealed class NumericSpace : SearchSpace
{
    public NumericType Type { get; }
    public double Min { get; }
    public double Max { get; }
    public bool LogBase { get; }
    public bool PowerOfTwo { get; }
    public double? DefaultValue { get; }

    public NumericSpace(NumericType type, double min, double max, bool logBase = false, double? defaultValue = null, bool powerOfTwo = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) throw new ArgumentException($"Range bounds must be finite numbers (min = {min}, max = {max}).");
        if (min > max) throw new ArgumentException($"Range min ({Format(min)}) is greater than max ({Format(max)}).");
        if (powerOfTwo && type != NumericType.Int) throw new ArgumentException("power_of_two applies to int ranges only.");
        if ((logBase || powerOfTwo) && min <= 0) throw new ArgumentException($"A log-scale range needs min > 0 (min = {Format(min)}).");
        if (type == NumericType.Int && (min != Math.Round(min) || max != Math.Round(max)))
            throw new ArgumentException($"An int range needs integer bounds (min = {Format(min)}, max = {Format(max)}).");
        if (powerOfTwo && Math.Pow(2, Math.Floor(Math.Log2(max))) < min)
            throw new ArgumentException($"No power of two lies in [{Format(min)}, {Format(max)}].");
        if (defaultValue is { } d && (d < min || d > max))
            throw new ArgumentException($"Default {Format(d)} is outside [{Format(min)}, {Format(max)}].");
        Type = type;
        // Float ranges live at float precision, so a space read back from its JSON is the same space.
        Min = type == NumericType.Float ? (float)min : min;
        Max = type == NumericType.Float ? (float)max : max;
        LogBase = logBase || powerOfTwo;
        PowerOfTwo = powerOfTwo;
        DefaultValue = defaultValue;
    }

    public override int FeatureSpaceDimension => 1;

    /// <summary>The value at unit coordinate <paramref name="u"/>.</summary>
    public double ValueAt(double u)
    {
        u = Math.Clamp(u, 0, 1);
        if (PowerOfTwo)
        {
            var (low, count) = Exponents();
            return Math.Pow(2, low + Math.Min(count - 1, (int)Math.Floor(u * count)));
        }
        if (Type == NumericType.Int && !LogBase)
        {
            long count = (long)(Max - Min) + 1;
            return Min + Math.Min(count - 1, (long)Math.Floor(u * count));
        }
        double v = LogBase ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
        v = Math.Clamp(v, Min, Max);
        return Type switch
        {
            NumericType.Int => Math.Clamp(Math.Round(v), Min, Max),
            NumericType.Float => (float)v,
            _ => v,
        };
    }

    /// <summary>The unit coordinate of <paramref name="value"/> (bin centres for integer grids).</summary>
    public double UnitOf(double value)
    {
        value = Math.Clamp(value, Min, Max);
        if (PowerOfTwo)
        {
            var (low, count) = Exponents();
            int index = Math.Clamp((int)Math.Round(Math.Log2(value)) - low, 0, count - 1);
            return (index + 0.5) / count;
        }
        if (Type == NumericType.Int && !LogBase)
        {
            long count = (long)(Max - Min) + 1;
            return (Math.Round(value) - Min + 0.5) / count;
        }
        if (Max == Min) return 0.5;
        return LogBase ? (Math.Log(value) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) : (value - Min) / (Max - Min);
    }

    (int Low, int Count) Exponents()
    {
        int low = (int)Math.Ceiling(Math.Log2(Min) - 1e-12);
        int high = (int)Math.Floor(Math.Log2(Max) + 1e-12);
        return (low, high - low + 1);
    }

    internal override JsonNode Sample(ReadOnlySpan<double> feature) => Node(ValueAt(feature[0]));

    internal override void Map(JsonNode? value, Span<double> feature) =>
        feature[0] = value is null ? UnitOf(DefaultValueOrMiddle) : UnitOf(JsonNumbers.ToDouble(value));

    internal override JsonNode DefaultNode() => Node(DefaultValueOrMiddle);

    /// <summary>The default exactly as given for a continuous range (a trainer's default is the catalog's own value), snapped to the grid for an integer one.</summary>
    double DefaultValueOrMiddle => DefaultValue is not { } d ? ValueAt(0.5)
        : Type == NumericType.Int ? ValueAt(UnitOf(d))
        : Type == NumericType.Float ? (float)d : d;

    JsonNode Node(double v) => Type switch
    {
        NumericType.Int => JsonValue.Create((long)v),
        NumericType.Float => JsonValue.Create((float)v),
        _ => JsonValue.Create(v),
    };

    internal override JsonNode ToJsonNode()
    {
        var o = new JsonObject
        {
            ["type"] = Type.ToString().ToLowerInvariant(),
            ["min"] = Node(Min),
            ["max"] = Node(Max),
            ["log_base"] = LogBase,
        };
        if (PowerOfTwo) o["power_of_two"] = true;
        if (DefaultValue is { } d) o["default"] = Node(d);
        return o;
    }

    static string Format(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
