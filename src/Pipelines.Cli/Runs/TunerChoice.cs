using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Tuners;

namespace Pipelines.Cli.Runs;

/// <summary>The --tuner names and the tuners they stand for.</summary>
internal static class TunerChoice
{
    public static IReadOnlyList<string> Names { get; } = new[] { "tpe", "random", "grid", "cfo", "tpe-cost" };

    /// <summary>beta of "tpe-cost" (docs/benchmarks.md says how it was chosen).</summary>
    public const double CostExponent = 0.5;

    public static string Normalize(string name)
    {
        var normalized = name.Trim().ToLowerInvariant();
        return Names.Contains(normalized) ? normalized
            : throw CliException.Input($"Unknown tuner '{name}'. Choose one of: {string.Join(", ", Names)}.");
    }

    public static Func<SearchSpace, int, ITuner> Factory(string name) => Normalize(name) switch
    {
        "random" => (space, seed) => new RandomTuner(space, seed),
        "grid" => (space, seed) => new GridTuner(space, seed),
        "cfo" => (space, seed) => new CfoTuner(space, seed),
        "tpe-cost" => (space, seed) => new TpeTuner(space, seed, costExponent: CostExponent),
        _ => (space, seed) => new TpeTuner(space, seed),
    };
}
