using Pipelines.AutoML.Portfolio;
using Pipelines.Torch.Data;
using Pipelines.Torch.Runtime;

namespace Pipelines.Cli.Runs;

/// <summary>The --trainers names, and the portfolio's candidates they stand for with the run's --device.</summary>
internal static class TrainerChoice
{
    /// <summary>
    /// The names in <paramref name="list"/>, or the command's defaults: every tabular trainer for a data file, torch-cnn
    /// for images. The image trainer needs pixels with image dimensions, so a data file cannot use it; the tabular
    /// trainers do run on images (on the pixels as a flat vector), as baselines.
    /// </summary>
    public static IReadOnlyList<string> Parse(string? list, bool images)
    {
        if (string.IsNullOrWhiteSpace(list)) return (images ? TrainerPortfolio.Images : TrainerPortfolio.Tabular).Select(c => c.Name).ToList();
        IReadOnlyList<TrainerCandidate> candidates;
        try
        {
            candidates = TrainerPortfolio.Parse(list);
        }
        catch (ArgumentException e)
        {
            throw CliException.Input("--trainers: " + e.Message);
        }
        var imageOnly = candidates.Where(c => TrainerPortfolio.Images.Any(i => i.Name == c.Name)).Select(c => c.Name).ToList();
        if (!images && imageOnly.Count > 0)
            throw CliException.Input($"--trainers: {string.Join(", ", imageOnly)} trains on images; use `pipelines image-classification --dataset FOLDER`.");
        return candidates.Select(c => c.Name).ToList();
    }

    /// <summary>Whether <paramref name="trainer"/> is a TorchSharp trainer (trains in epochs, on --device, with a Torch model to load).</summary>
    public static bool IsTorch(string trainer) => TrainerPortfolio.All.Any(c => c.Name == trainer && c is TorchCandidate);

    public static IReadOnlyList<TrainerCandidate> Create(IReadOnlyList<string> names, string device, PredictionKind task)
    {
        var candidates = TrainerPortfolio.Parse(string.Join(',', names)).Select(c => c.OnDevice(device)).ToList();
        var unsupported = candidates.Where(c => !c.Supports(task)).Select(c => c.Name).ToList();
        if (unsupported.Count > 0) throw CliException.Input($"--trainers: {string.Join(", ", unsupported)} cannot do {task}.");
        return candidates;
    }

    /// <summary>Checks --device where a Torch trainer will train, so a missing GPU is one clear error rather than every trial failing.</summary>
    public static string CheckDevice(string device, IReadOnlyList<string> trainers)
    {
        var normalized = device.Trim().ToLowerInvariant();
        if (!trainers.Any(IsTorch)) return normalized;
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
