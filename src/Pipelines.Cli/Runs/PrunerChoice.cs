using Pipelines.AutoML.Pruners;

namespace Pipelines.Cli.Runs;

/// <summary>The --pruner names and the pruners they stand for (Optuna's defaults for each).</summary>
internal static class PrunerChoice
{
    public static IReadOnlyList<string> Names { get; } = new[] { "none", "median", "asha", "hyperband" };

    public static string Normalize(string name)
    {
        var normalized = name.Trim().ToLowerInvariant();
        return Names.Contains(normalized) ? normalized
            : throw CliException.Input($"Unknown pruner '{name}'. Choose one of: {string.Join(", ", Names)}.");
    }

    /// <param name="name">A pruner name.</param>
    /// <param name="maxEpochs">The most epochs a Torch trial can train: Hyperband's maximum resource.</param>
    public static IPruner Create(string name, int maxEpochs) => Normalize(name) switch
    {
        "median" => new MedianPruner(),
        "asha" => new SuccessiveHalvingPruner(),
        "hyperband" => new HyperbandPruner(maxResource: Math.Max(1, maxEpochs)),
        _ => new NopPruner(),
    };
}
