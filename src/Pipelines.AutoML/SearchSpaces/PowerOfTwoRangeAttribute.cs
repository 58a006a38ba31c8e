namespace Pipelines.AutoML.SearchSpaces;

/// <summary>
/// An int member searched over the powers of two in [<see cref="Min"/>, <see cref="Max"/>] on a log2 scale, the
/// natural grid for batch sizes (ML.NET's <c>[Range]</c> has no such grid). <see cref="Init"/> is the default.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PowerOfTwoRangeAttribute(int min, int max, int init) : Attribute
{
    public int Min { get; } = min;
    public int Max { get; } = max;
    public int Init { get; } = init;
}
