using Pipelines.AutoML.Portfolio;
using Pipelines.Torch.Data;
using Pipelines.Torch.Runtime;

namespace Pipelines.Cli.Runs;

/// <summary>The --trainers names, and the portfolio's candidates they stand for with the run's --device.</summary>
internal static class TrainerChoice
{
    public static IReadOnlyList<string> Parse(string? list)
    {
        if (string.IsNullOrWhiteSpace(list)) return TrainerPortfolio.All.Select(c => c.Name).ToList();
        try
        {
            return TrainerPortfolio.Parse(list).Select(c => c.Name).ToList();
        }
        catch (ArgumentException e)
        {
            throw CliException.Input("--trainers: " + e.Message);
        }
    }

    public static IReadOnlyList<TrainerCandidate> Create(IReadOnlyList<string> names, string device, PredictionKind task)
    {
        var candidates = TrainerPortfolio.Parse(string.Join(',', names))
            .Select(c => c.Name == SearchSpacePlan.TorchMlp ? new TorchMlpCandidate { Device = device } : c)
            .ToList();
        var unsupported = candidates.Where(c => !c.Supports(task)).Select(c => c.Name).ToList();
        if (unsupported.Count > 0) throw CliException.Input($"--trainers: {string.Join(", ", unsupported)} cannot do {task}.");
        return candidates;
    }

    /// <summary>Checks --device where torch-mlp will train, so a missing GPU is one clear error rather than every trial failing.</summary>
    public static string CheckDevice(string device, IReadOnlyList<string> trainers)
    {
        var normalized = device.Trim().ToLowerInvariant();
        if (!trainers.Contains(SearchSpacePlan.TorchMlp)) return normalized;
        try
        {
            TorchRuntime.ResolveDevice(normalized);
            return normalized;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw CliException.Input($"--device {device}: {e.Message}");
        }
    }
}
