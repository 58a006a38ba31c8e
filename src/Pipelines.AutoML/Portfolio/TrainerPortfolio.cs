namespace Pipelines.AutoML.Portfolio;

/// <summary>The trainers an experiment can search over, by name.</summary>
public static class TrainerPortfolio
{
    public static IReadOnlyList<TrainerCandidate> All { get; } = new TrainerCandidate[]
    {
        new TorchMlpCandidate(), new FastTreeCandidate(), new FastForestCandidate(), new LightGbmCandidate(), new LinearCandidate(),
    };

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
