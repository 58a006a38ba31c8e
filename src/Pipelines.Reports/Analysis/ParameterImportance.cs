
namespace Pipelines.Reports.Analysis;

/// <summary>
/// How much of the objective's variance each tuned parameter explains, over completed trials. Trainers have different
/// parameters, so each trainer is analysed on its own trials; the choice of trainer gets its own share (eta squared
/// over trainers). Per trainer: with at least <see cref="ForestMinimumTrials"/> trials a FastForest plus permutation
/// importance (<see cref="ImportanceMethod.PermutationForest"/>), with fewer a binned variance decomposition
/// (<see cref="ImportanceMethod.BinnedVariance"/>). Importances are normalized to sum to 1 per trainer.
/// </summary>
public static class ParameterImportance
{
    /// <summary>Below this many completed trials a trainer gets the binned decomposition instead of the forest.</summary>
    public const int ForestMinimumTrials = 8;
    /// <summary>Below this many completed trials a trainer is not analysed at all.</summary>
    public const int MinimumTrials = 3;

    public static ImportanceAnalysis Compute(IEnumerable<TrialFacts> trials, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var usable = trials.Where(t => t.Trial.Status == TrialStatus.Completed && t.Trial.Objective is { } o && double.IsFinite(o))
            .OrderBy(t => t.Trial.Id).ToList();

        double? trainerShare = null;
        var trainerNames = usable.Select(t => t.Trainer).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (trainerNames.Count >= 2)
            trainerShare = Stats.EtaSquared(usable.Select(t => t.Trial.Objective!.Value).ToList(),
                usable.Select(t => trainerNames.IndexOf(t.Trainer)).ToList());

        var results = new List<TrainerImportance>();
        var skipped = new List<string>();
        foreach (var name in trainerNames)
        {
            var group = usable.Where(t => t.Trainer == name).ToList();
            if (group.Count < MinimumTrials)
            {
                skipped.Add($"{name}: {group.Count} completed trial{(group.Count == 1 ? "" : "s")}, at least {MinimumTrials} are needed");
                continue;
            }
            var matrix = ParameterMatrix.Build(group);
            if (matrix.Count == 0)
            {
                skipped.Add($"{name}: no parameter took more than one value");
                continue;
            }
            results.Add(ForTrainer(name, group, matrix, seed));
        }
        return new ImportanceAnalysis(trainerShare, results, skipped);
    }

    static TrainerImportance ForTrainer(string trainer, List<TrialFacts> group, ParameterMatrix matrix, int seed)
    {
        var objective = group.Select(t => t.Trial.Objective!.Value).ToList();
        // Compared with a tolerance: equal scores can differ in the last bits and would then "explain" rounding noise.
        double spread = objective.Max() - objective.Min();
        if (spread <= 1e-12 * Math.Max(1, objective.Max(Math.Abs)))
            return Result(trainer, group.Count, ImportanceMethod.BinnedVariance, matrix, new double[matrix.Count],
                "the objective did not vary (all trials scored the same), so no parameter explains anything");

        if (group.Count >= ForestMinimumTrials)
        {
            var forest = ForestImportance.Compute(matrix, objective, seed);
            if (forest != null && forest.Sum() > 0)
                return Result(trainer, group.Count, ImportanceMethod.PermutationForest, matrix, forest, null);
            return Result(trainer, group.Count, ImportanceMethod.BinnedVariance, matrix, BinnedVarianceImportance.Compute(matrix, objective),
                "the forest found no parameter that predicts the objective, so the binned decomposition is shown");
        }
        return Result(trainer, group.Count, ImportanceMethod.BinnedVariance, matrix, BinnedVarianceImportance.Compute(matrix, objective),
            $"fewer than {ForestMinimumTrials} completed trials, so a binned variance decomposition gives a rough ranking");
    }

    static TrainerImportance Result(string trainer, int trials, ImportanceMethod method, ParameterMatrix matrix, double[] raw, string? note)
    {
        double sum = raw.Sum();
        var entries = Enumerable.Range(0, matrix.Count)
            .Select(j => new ParameterImportanceEntry(matrix.Names[j], sum > 0 ? raw[j] / sum : 0))
            .OrderByDescending(e => e.Importance).ThenBy(e => e.Parameter, StringComparer.Ordinal)
            .ToList();
        return new TrainerImportance(trainer, trials, method, entries, note);
    }
}
