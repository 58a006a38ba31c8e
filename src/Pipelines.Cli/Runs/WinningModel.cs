using Pipelines.AutoML.Experiment;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Trials;

namespace Pipelines.Cli.Runs;

/// <summary>
/// What the saved model is made of, for what an app needs to load it: the trainer that won, or an ensemble's members'
/// trainers. An ensemble, like a Torch model, gets its output columns from Pipelines.Torch's mappings.
/// </summary>
internal sealed record WinningModel(string Name, IReadOnlyList<string> Trainers, bool IsEnsemble)
{
    public static WinningModel Of(TrialRecord best, IReadOnlyList<TrialRecord> trials)
    {
        var trainer = best.Trainer ?? "";
        if (trainer != EnsembleOutcome.TrainerName) return new WinningModel(trainer, new[] { trainer }, false);
        var ids = best.Parameters[OneOfSpace.ParametersKey]["members"].ToNode().AsArray().Select(n => (int)n!).ToHashSet();
        var members = trials.Where(t => ids.Contains(t.Id)).Select(t => t.Trainer ?? "").Distinct().Order(StringComparer.Ordinal).ToList();
        return new WinningModel($"an ensemble of {string.Join(", ", members)}", members, true);
    }

    /// <summary>A trainer whose model is a TorchSharp network (trained with LibTorch, predicted through ONNX Runtime).</summary>
    public bool HasTorchTrainer => Trainers.Any(TrainerChoice.IsTorch);

    /// <summary>Whether loading the model needs the Pipelines.Torch assembly registered.</summary>
    public bool NeedsPipelinesTorch => HasTorchTrainer || IsEnsemble;
}
