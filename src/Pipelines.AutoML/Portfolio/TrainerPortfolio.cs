namespace Pipelines.AutoML.Portfolio;

/// <summary>The trainers an experiment can search over, by name.</summary>
public static class TrainerPortfolio
{
    /// <summary>The trainers for a table of features (a CSV file): the default of an experiment and of the CLI's tabular commands.</summary>
    public static IReadOnlyList<TrainerCandidate> Tabular { get; } = new TrainerCandidate[]
    {
        new TorchMlpCandidate(), new FastTreeCandidate(), new FastForestCandidate(), new LightGbmCandidate(), new LinearCandidate(),
    };

    /// <summary>The trainers that need images (pixels with image dimensions): the default for image classification.</summary>
    public static IReadOnlyList<TrainerCandidate> Images { get; } = new TrainerCandidate[] { new TorchImageCandidate() };

    /// <summary>Every candidate, tabular and image.</summary>
    public static IReadOnlyList<TrainerCandidate> All { get; } = Tabular.Concat(Images).ToArray();

    /// <summary>The candidates named in <paramref name="names"/> (for example "torch-mlp,fasttree"), in that order.</summary>
    public static IReadOnlyList<TrainerCandidate> Parse(string names)
    {
        var result = new List<TrainerCandidate>();
        foreach (var raw in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var candidate = All.FirstOrDefault(c => string.Equals(c.Name, raw, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unknown trainer '{raw}'. Choose from: {string.Join(", ", All.Select(c => c.Name))}.");
            if (result.Any(c => c.Name == candidate.Name)) throw new ArgumentException($"Trainer '{raw}' is listed twice.");
            result.Add(candidate);
        }
        if (result.Count == 0) throw new ArgumentException("No trainers given.");
        return result;
    }
}
