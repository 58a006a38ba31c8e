using System.Reflection;
using System.Text.Json.Serialization;

namespace Pipelines.AutoML.SearchSpaces;

/// <summary>
/// Builds a <see cref="NestedSpace"/> in code, or from an options class annotated with ML.NET's <c>[Range]</c>,
/// <c>[Choice]</c>, <c>[BooleanChoice]</c> and <c>[NestOption]</c> (so classes written for Microsoft's AutoML work),
/// plus our <see cref="PowerOfTwoRangeAttribute"/>. A member's key is its <c>[JsonPropertyName]</c>, else its name.
/// </summary>
public sealed class SearchSpaceBuilder
{
    readonly List<KeyValuePair<string, SearchSpace>> _entries = new();

    public SearchSpaceBuilder Add(string name, SearchSpace space)
    {
        _entries.Add(KeyValuePair.Create(name, space));
        return this;
    }

    public SearchSpaceBuilder Int(string name, int min, int max, bool logBase = false, int? defaultValue = null) =>
        Add(name, new NumericSpace(NumericType.Int, min, max, logBase, defaultValue));

    /// <summary>Powers of two in [min, max] on a log2 scale: the batch-size grid.</summary>
    public SearchSpaceBuilder PowerOfTwo(string name, int min, int max, int? defaultValue = null) =>
        Add(name, new NumericSpace(NumericType.Int, min, max, logBase: true, defaultValue, powerOfTwo: true));

    public SearchSpaceBuilder Float(string name, float min, float max, bool logBase = false, float? defaultValue = null) =>
        Add(name, new NumericSpace(NumericType.Float, min, max, logBase, defaultValue));

    public SearchSpaceBuilder Double(string name, double min, double max, bool logBase = false, double? defaultValue = null) =>
        Add(name, new NumericSpace(NumericType.Double, min, max, logBase, defaultValue));

    public SearchSpaceBuilder Choice(string name, params object[] values) => Add(name, ChoiceSpace.Of(values));

    public SearchSpaceBuilder Boolean(string name, bool defaultValue = false) => Add(name, ChoiceSpace.Boolean(defaultValue));

    public SearchSpaceBuilder Nested(string name, Action<SearchSpaceBuilder> build)
    {
        var inner = new SearchSpaceBuilder();
        build(inner);
        return Add(name, inner.Build());
    }

    public NestedSpace Build() => new(_entries);

    /// <summary>The space of an options class from its <c>[Range]</c>, <c>[Choice]</c>, <c>[BooleanChoice]</c>, <c>[NestOption]</c> members.</summary>
    public static NestedSpace FromOptions<T>() => FromOptions(typeof(T));

    public static NestedSpace FromOptions(Type type)
    {
        var builder = new SearchSpaceBuilder();
        foreach (var member in MembersBaseFirst(type))
        {
            var memberType = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
            // The key is the member's JSON name, so Parameter.AsType binds the sampled point back to the same member.
            var name = member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? member.Name;
            if (member.GetCustomAttribute<RangeAttribute>() is { } range) builder.Add(name, FromRange(range, member));
            else if (member.GetCustomAttribute<PowerOfTwoRangeAttribute>() is { } powers) builder.PowerOfTwo(name, powers.Min, powers.Max, powers.Init);
            else if (member.GetCustomAttribute<ChoiceAttribute>() is { } choice)
                builder.Add(name, new ChoiceSpace(choice.Candidates.Select(ChoiceSpace.ToNode),
                    choice.DefaultValue is null ? null : ChoiceSpace.ToNode(choice.DefaultValue)));
            else if (member.GetCustomAttribute<BooleanChoiceAttribute>() is { } boolean) builder.Add(name, ChoiceSpace.Boolean(boolean.DefaultValue));
            else if (member.GetCustomAttribute<NestOptionAttribute>() is not null) builder.Add(name, FromOptions(memberType));
        }
        var space = builder.Build();
        if (space.Names.Count == 0)
            throw new ArgumentException($"{type.Name} has no members with [Range], [Choice], [BooleanChoice] or [NestOption]: its search space would be empty.");
        return space;
    }

    /// <summary>A class's properties and fields in declaration order, a base class's before its subclass's.</summary>
    static IEnumerable<MemberInfo> MembersBaseFirst(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var chain = new List<Type>();
        for (var t = type; t != null && t != typeof(object); t = t.BaseType) chain.Insert(0, t);
        return chain.SelectMany(t => t.GetProperties(flags).Cast<MemberInfo>().Concat(t.GetFields(flags)).OrderBy(m => m.MetadataToken));
    }

    static SearchSpace FromRange(RangeAttribute range, MemberInfo member)
    {
        var type = range.Min switch
        {
            int => NumericType.Int,
            float => NumericType.Float,
            _ => NumericType.Double,
        };
        try
        {
            return new NumericSpace(type, Convert.ToDouble(range.Min), Convert.ToDouble(range.Max), range.LogBase,
                range.Init is null ? null : Convert.ToDouble(range.Init));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"[Range] on {member.DeclaringType?.Name}.{member.Name}: {e.Message}", e);
        }
    }
}
