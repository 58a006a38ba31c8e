using Pipelines.AutoML.Experiment;
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

    /// <summary>The --fidelity names, what the pruner's steps count: <see cref="PruningFidelity"/>'s, in lower case.</summary>
    public static IReadOnlyList<string> Fidelities { get; } = Enum.GetNames<PruningFidelity>().Select(n => n.ToLowerInvariant()).ToList();

    public static PruningFidelity ParseFidelity(string name) =>
        Enum.GetValues<PruningFidelity>().Where(f => f.ToString().Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)).Cast<PruningFidelity?>().FirstOrDefault()
        ?? throw CliException.Input($"--fidelity '{name}': use {string.Join(" or ", Fidelities)}.");

    /// <param name="name">A pruner name.</param>
    /// <param name="maxEpochs">The most epochs a Torch trial can train: Hyperband's maximum resource, in epochs or in examples.</param>
    /// <param name="fidelity">What a step counts.</param>
    /// <param name="trainRows">The training rows, the examples of one epoch.</param>
    public static IPruner Create(string name, int maxEpochs, PruningFidelity fidelity, int trainRows)
    {
        // On examples Hyperband's smallest resource is one checkpoint and its largest every epoch's examples.
        int perStep = fidelity == PruningFidelity.Examples ? Math.Max(1, trainRows / ExamplesFidelity.CheckpointsPerEpoch) : 1;
        int steps = Math.Max(1, maxEpochs) * (fidelity == PruningFidelity.Examples ? ExamplesFidelity.CheckpointsPerEpoch : 1);
        return Normalize(name) switch
        {
            "median" => new MedianPruner(),
            "asha" => new SuccessiveHalvingPruner(),
            "hyperband" => new HyperbandPruner(maxResource: (int)Math.Min(int.MaxValue, (long)steps * perStep), minResource: perStep),
            _ => new NopPruner(),
        };
    }
}
