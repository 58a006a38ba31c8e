using System.Text.RegularExpressions;

namespace Pipelines.AutoML.Inference;

/// <summary>Decides the role of a feature candidate from its sampled values. The thresholds are documented on <see cref="ColumnInference"/>.</summary>
internal static class ColumnRoleRules
{
    /// <summary>Below this many present values, uniqueness says little, so nothing is called id-like.</summary>
    public const int MinRowsForIdLike = 20;
    /// <summary>Short strings at least this unique are keys or names, not categories (ML.NET's AutoML uses 0.9 too).</summary>
    public const double IdLikeUniqueRatio = 0.9;
    /// <summary>Multi-word strings at least this unique are free text even when there are few rows.</summary>
    public const double TextUniqueRatio = 0.5;
    public const double MultiWordAverage = 2.0;
    public const double LongStringAverageLength = 30;

    /// <summary>Strings with at most this many distinct values are categories whatever they look like: max(20, 5% of the rows).</summary>
    public static int CategoricalLimit(int presentRows) => Math.Max(20, presentRows / 20);

    static readonly Regex IdName = new(@"(?i:^(id|idx|index|row|rownum|row_?id|row_?number|key)$|[_\s-]id$|^unnamed)|[a-z]Id$", RegexOptions.CultureInvariant);

    public static InferredColumn Decide(int index, string name, string originalName, ColumnProfile profile)
    {
        var column = new InferredColumn
        {
            Index = index, Name = name, OriginalName = originalName, Role = ColumnRole.Ignore, DataKind = DataKind.String,
            MissingCount = profile.MissingCount, Cardinality = profile.Cardinality,
        };

        if (profile.Cardinality == 0)
            return Ignored(column, IgnoreReason.Constant, "every sampled value is missing");
        if (profile.Cardinality == 1 && profile.MissingCount == 0)
            return Ignored(column, IgnoreReason.Constant, $"every sampled row holds '{profile.ValueCounts.Keys.First()}'");

        if (profile.IsNumeric)
        {
            if (profile.Cardinality == 1)
                // One number plus missing values: whether the value is there is the only information.
                return column with { Role = ColumnRole.Categorical, Explanation = "one number and missing values: present/missing as a category" };
            if (IsIdLikeNumber(profile, originalName, out var why))
                return Ignored(column, IgnoreReason.IdLike, why);
            return column with { Role = ColumnRole.Numeric, DataKind = DataKind.Single, Explanation = "numbers" };
        }

        if (profile.IsBoolean && profile.MissingCount == 0)
            return column with { Role = ColumnRole.Boolean, DataKind = DataKind.Boolean, Explanation = "two Boolean spellings, no missing values" };

        int distinct = profile.Cardinality, present = profile.PresentCount;
        double uniqueRatio = (double)distinct / present;
        bool multiWord = profile.AverageWordCount >= MultiWordAverage || profile.AverageLength >= LongStringAverageLength;
        if (multiWord && (distinct > CategoricalLimit(present) || uniqueRatio >= TextUniqueRatio))
            return column with
            {
                Role = ColumnRole.Text,
                Explanation = $"free text: {profile.AverageWordCount:0.#} words on average, {distinct} distinct values in {present} rows",
            };
        if (distinct <= CategoricalLimit(present))
            return column with { Role = ColumnRole.Categorical, Explanation = $"{distinct} distinct strings" };
        if (present >= MinRowsForIdLike && uniqueRatio >= IdLikeUniqueRatio)
            return Ignored(column, IgnoreReason.IdLike, $"{distinct} distinct short strings in {present} rows: a key or a name");
        return column with { Role = ColumnRole.Categorical, Explanation = $"{distinct} distinct strings (high cardinality)" };
    }

    /// <summary>
    /// Whole numbers, all different, in a column that looks like a row number or a key: strictly increasing or
    /// decreasing in file order, dense (max - min below twice the row count, e.g. shuffled row numbers) or named
    /// like an id. A continuous measurement that happens to be unique (fnlwgt) is neither, so it stays numeric.
    /// </summary>
    static bool IsIdLikeNumber(ColumnProfile profile, string originalName, out string why)
    {
        why = "";
        int present = profile.PresentCount;
        if (!profile.IsInteger || profile.MissingCount > 0 || present < MinRowsForIdLike || profile.Cardinality != present)
            return false;
        if (profile.IsStrictlyMonotonic) why = "unique whole numbers in sorted order, like row numbers";
        else if (profile.Max - profile.Min < 2.0 * present) why = "unique whole numbers densely covering a range, like shuffled row numbers";
        else if (IdName.IsMatch(originalName)) why = "unique whole numbers in a column named like an id";
        return why.Length > 0;
    }

    static InferredColumn Ignored(InferredColumn column, IgnoreReason reason, string why) =>
        column with { Role = ColumnRole.Ignore, IgnoreReason = reason, Explanation = why };
}
