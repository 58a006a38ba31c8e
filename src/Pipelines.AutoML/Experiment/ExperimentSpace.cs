using Pipelines.AutoML.Portfolio;

namespace Pipelines.AutoML.Experiment;

/// <summary>An experiment's search space: one option per trainer, each with its own space or the one set for it.</summary>
internal static class ExperimentSpace
{
    public static OneOfSpace Build(IReadOnlyList<TrainerCandidate> trainers, IReadOnlyDictionary<string, NestedSpace> spaces, PredictionKind task, int trainRows)
    {
        foreach (var name in spaces.Keys)
            if (trainers.All(t => t.Name != name))
                throw new ArgumentException($"A search space was set for '{name}', which is not among the trainers ({string.Join(", ", trainers.Select(t => t.Name))}).");
        var options = trainers.Select(t => KeyValuePair.Create(t.Name, (SearchSpace)(spaces.TryGetValue(t.Name, out var s) ? s : t.DefaultSearchSpace(task, trainRows))));
        var space = new OneOfSpace(options);
        if (space.FeatureSpaceDimension <= 1 && trainers.Count == 1)
            throw new ArgumentException($"The search space of '{trainers[0].Name}' is empty: nothing to tune.");
        return space;
    }
}
