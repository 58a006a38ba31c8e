namespace Pipelines.AutoML.Inference;

/// <summary>Decides whether the first line of a file holds column names.</summary>
internal static class HeaderDetection
{
    /// <summary>
    /// A header when the user's label name is one of the first line's fields. Otherwise the first line's fields must
    /// look like names (non-empty, not missing-value tokens, not numbers, unique), and no column may contradict it:
    /// a Boolean column whose first field is also a Boolean, or a text column whose first field reappears further
    /// down, means the first line is data. Numeric columns under a non-numeric first field are ML.NET's own sign of
    /// a header. An all-text file whose first line is unique is taken as having a header; pass hasHeader to override.
    /// </summary>
    public static bool LooksLikeHeader(string[] firstFields, IReadOnlyList<string[]> laterRows, string labelColumnName)
    {
        if (ColumnNames.Find(labelColumnName, firstFields) >= 0)
            return true;

        bool fieldsLookLikeNames = firstFields.All(f => !CellValues.IsMissing(f) && !IsNumber(f))
            && firstFields.Distinct(StringComparer.Ordinal).Count() == firstFields.Length;
        if (!fieldsLookLikeNames) return false;

        for (int c = 0; c < firstFields.Length; c++)
        {
            var values = laterRows.Where(r => c < r.Length).Select(r => r[c]).Where(v => !CellValues.IsMissing(v)).ToList();
            if (values.Count == 0 || values.All(IsNumber)) continue;
            if (values.All(v => CellValues.TryParseBoolean(v, out _)))
            {
                if (CellValues.TryParseBoolean(firstFields[c], out _)) return false;
                continue;
            }
            if (values.Contains(firstFields[c], StringComparer.Ordinal)) return false;
        }
        return true;
    }

    static bool IsNumber(string value) => CellValues.TryParseNumber(value, '.', out _) || CellValues.TryParseNumber(value, ',', out _);
}
