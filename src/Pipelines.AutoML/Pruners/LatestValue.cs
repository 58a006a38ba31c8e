namespace Pipelines.AutoML.Pruners;

/// <summary>The rule every pruner applies before its own: no value yet keeps a trial; a non-finite latest value (a diverged loss) stops it.</summary>
internal static class LatestValue
{
    /// <summary>The decision when the latest value alone makes it; null when the pruner's own rule decides.</summary>
    public static bool? Decides(IReadOnlyList<IntermediateValue> values) =>
        values.Count == 0 ? false : double.IsFinite(values[^1].Value) ? null : true;
}
