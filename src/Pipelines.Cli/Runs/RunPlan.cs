using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.SearchSpaces;

namespace Pipelines.Cli.Runs;

/// <summary>
/// A run resolved once: its settings, its data, the trainer candidates and their search spaces. A new run builds it
/// before anything is written, so a --search-space or range that does not fit, or data with no feature, fails first; a resumed run builds it
/// from settings.json. The experiment is then configured from it, with nothing parsed or built a second time.
/// </summary>
internal sealed record RunPlan(RunSettings Settings, InputData Data, IReadOnlyList<TrainerCandidate> Trainers, IReadOnlyDictionary<string, NestedSpace> Spaces)
{
    /// <param name="warn">Where notes on the search-space file go (a parameter a trainer does not read).</param>
    public static RunPlan Create(RunSettings settings, InputData data, Action<string> warn)
    {
        var trainers = TrainerChoice.Create(settings.Trainers, settings.Device, settings.Task);
        // Built once here only to be checked (no feature left, say) before the folder is claimed; it fits nothing.
        data.BuildFeaturizer(new MLContext(settings.Seed));
        return new RunPlan(settings, data, trainers, SearchSpacePlan.Build(settings, trainers, data.TrainRows, warn));
    }

    /// <summary>The most epochs a Torch trial of this run may train: Hyperband's maximum resource.</summary>
    public int MaxEpochs => SearchSpacePlan.MaxEpochs(Trainers, Spaces, Settings.Task, Data.TrainRows);
}
