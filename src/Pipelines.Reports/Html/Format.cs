namespace Pipelines.Reports.Html;

/// <summary>How numbers and times read on the page: invariant culture, a dash for missing, NaN and ∞ spelled out.</summary>
internal static class Format
{
    public const string Missing = "—";
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A metric-like value: four decimals for the usual 0-1 range, fewer digits for large values.</summary>
    public static string Number(double? value)
    {
        if (value is not { } v) return Missing;
        if (NonFinite(v) is { } text) return text;
        double a = Math.Abs(v);
        if (a != 0 && (a < 1e-4 || a >= 1e6)) return v.ToString("0.###e+0", Invariant);
        return v.ToString(a >= 1000 ? "0.#" : "0.0000", Invariant);
    }

    /// <summary>A difference such as the gap, always with its sign.</summary>
    public static string Signed(double? value)
    {
        if (value is not { } v) return Missing;
        if (NonFinite(v) is { } text) return text;
        return (v > 0 ? "+" : v < 0 ? "−" : "") + Number(Math.Abs(v));
    }

    /// <summary>A hyperparameter such as a learning rate: three significant digits, exponent for small values.</summary>
    public static string Parameter(double? value)
    {
        if (value is not { } v) return Missing;
        if (NonFinite(v) is { } text) return text;
        double a = Math.Abs(v);
        return a != 0 && a < 1e-3 ? v.ToString("0.##e+0", Invariant) : v.ToString("G3", Invariant);
    }

    public static string Integer(double? value) =>
        value is not { } v ? Missing : NonFinite(v) ?? Math.Round(v).ToString("N0", Invariant);

    /// <summary>A median that may fall between two integers (epochs): one decimal only when needed.</summary>
    public static string Count(double? value) =>
        value is not { } v ? Missing : NonFinite(v) ?? v.ToString(v == Math.Round(v) ? "0" : "0.0", Invariant);

    public static string Percent(double value) => NonFinite(value) ?? value.ToString("0%", Invariant);

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s) return Missing;
        if (NonFinite(s) is { } text) return text;
        if (s < 60) return s.ToString(s < 10 ? "0.0" : "0", Invariant) + " s";
        var t = TimeSpan.FromSeconds(s);
        if (t.TotalHours < 1) return $"{(int)t.TotalMinutes} min {t.Seconds:00} s";
        return $"{(int)t.TotalHours} h {t.Minutes:00} min";
    }

    public static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);

    static string? NonFinite(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "∞" : double.IsNegativeInfinity(v) ? "−∞" : null;
}
