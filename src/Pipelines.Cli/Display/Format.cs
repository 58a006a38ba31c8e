namespace Pipelines.Cli.Display;

/// <summary>Numbers as the console and the log show them: invariant culture, fixed widths where columns line up.</summary>
internal static class Format
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Metric(double? value) => value is { } v ? (double.IsFinite(v) ? v.ToString("F4", Invariant) : v.ToString(Invariant)) : "-";

    /// <summary>Signed, so an overfitting gap (+) stands out from a negative one.</summary>
    public static string Gap(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("+0.0000;-0.0000;0.0000", Invariant) : "-";

    /// <summary>Learning rates and weight decays span decades: scientific notation.</summary>
    public static string Rate(double? value) => value is { } v ? v.ToString("0.0e+00", Invariant) : "-";

    public static string Integer(int? value) => value?.ToString(Invariant) ?? "-";

    public static string Seconds(double seconds) => seconds < 60
        ? seconds.ToString("F1", Invariant) + " s"
        : TimeSpan.FromSeconds(Math.Round(seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", Invariant);

    public static string Clock(TimeSpan elapsed) => elapsed.ToString(elapsed.TotalHours >= 1 ? @"h\:mm\:ss" : @"mm\:ss", Invariant);
}
