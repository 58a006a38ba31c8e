namespace Pipelines.AutoML.Inference;

/// <summary>How one field of a data file is read: missing, a number, a Boolean. Mirrors what ML.NET's TextLoader accepts.</summary>
internal static class CellValues
{
    /// <summary>Spellings of a missing value, compared case-insensitively. ML.NET reads all of them as NaN in a Single column.</summary>
    public static readonly IReadOnlyList<string> MissingTokens = new[] { "", "?", "NA", "N/A", "NaN", "null" };

    static readonly HashSet<string> MissingTokenSet = new(MissingTokens, StringComparer.OrdinalIgnoreCase);

    public static bool IsMissing(string value) => MissingTokenSet.Contains(value);

    public static bool TryParseNumber(string value, char decimalMarker, out double number)
    {
        // NumberStyles.Float: sign, decimal point and exponent, no thousands separators, as ML.NET's parser.
        if (decimalMarker == ',')
        {
            if (value.Contains('.')) { number = 0; return false; }
            value = value.Replace(',', '.');
        }
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    /// <summary>
    /// The spellings ML.NET's TextLoader parses into a Boolean column (case-insensitive): true/false, t/f, yes/no,
    /// y/n, 1/0, +1/-1. Anything else, "?" included, makes the loader throw, so only these may be loaded as Boolean.
    /// </summary>
    public static bool TryParseBoolean(string value, out bool result)
    {
        result = TrueSpellings.Contains(value);
        return result || FalseSpellings.Contains(value);
    }

    static readonly HashSet<string> TrueSpellings = new(StringComparer.OrdinalIgnoreCase) { "true", "t", "yes", "y", "1", "+1" };
    static readonly HashSet<string> FalseSpellings = new(StringComparer.OrdinalIgnoreCase) { "false", "f", "no", "n", "0", "-1" };

    /// <summary>
    /// ',' when the file is not comma separated and its numbers use a decimal comma ("3,14") and never a decimal
    /// point; otherwise '.'. ML.NET's TextLoader reads both through its DecimalMarker option.
    /// </summary>
    public static char DetectDecimalMarker(IEnumerable<string> values, char separator)
    {
        if (separator == ',') return '.';
        int commaDecimals = 0, pointDecimals = 0;
        foreach (var value in values)
        {
            if (value.Contains(',') && TryParseNumber(value, ',', out _)) commaDecimals++;
            else if (value.Contains('.') && TryParseNumber(value, '.', out _)) pointDecimals++;
        }
        return commaDecimals > 0 && pointDecimals == 0 ? ',' : '.';
    }
}
