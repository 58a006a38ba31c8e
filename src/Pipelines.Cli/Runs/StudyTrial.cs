using Pipelines.AutoML.Portfolio;
using Pipelines.AutoML.SearchSpaces;
using Pipelines.AutoML.Storage;
using Pipelines.AutoML.Trials;
using Pipelines.Cli.Output;

namespace Pipelines.Cli.Runs;

/// <summary>
/// A Torch trial of a search run, for `batch-size --from-study DIR [--trial N]`: its trainer (torch-mlp or
/// torch-cnn), its sampled parameters, and where it came from. Without --trial, the study's best completed Torch trial.
/// </summary>
internal sealed record StudyTrial(TorchCandidate Candidate, Parameter Parameters, int Id, string Study, string Folder)
{
    public static StudyTrial Read(string folderPath, int? trialId)
    {
        var folder = OutputFolder.OfExistingRun(folderPath, "take a trial from");
        var settings = SettingsFile.Read(folder.Settings);
        if (settings.Storage is null && !File.Exists(folder.StudyDb))
            throw CliException.Input($"--from-study {folder.Path} has no study.db: that run stopped before its first trial.");
        using var storage = StudyLocation.OpenToRead(StudyLocation.Of(settings, folder));
        var study = storage.GetStudy(settings.StudyName)
            ?? throw CliException.Input($"--from-study: {folder.StudyDb} holds no study named '{settings.StudyName}'.");
        var torch = storage.GetTrials(settings.StudyName).Select(TrialFacts.From).Where(t => TorchCandidateNamed(t.Trainer) is not null).ToList();
        TrialFacts chosen;
        if (trialId is { } id)
        {
            var trials = storage.GetTrials(settings.StudyName);
            var trial = trials.FirstOrDefault(t => t.Id == id)
                ?? throw CliException.Input($"--trial {id}: the study in {folder.Path} has no trial {id} (its trials are 1 to {trials.Count}).");
            chosen = TrialFacts.From(trial);
            if (TorchCandidateNamed(chosen.Trainer) is null)
                throw CliException.Input($"--trial {id} trained {chosen.Trainer}, which has no batch size; choose a torch-mlp or torch-cnn trial" +
                    (torch.Count > 0 ? $" (for example {string.Join(", ", torch.Take(5).Select(t => t.Trial.Id))})." : ": the study has none."));
        }
        else
        {
            chosen = torch.Where(t => t.Trial.Status == TrialStatus.Completed && t.Trial.Objective is { } o && double.IsFinite(o))
                .OrderBy(t => study.Direction.ToLoss(t.Trial.Objective!.Value)).ThenBy(t => t.Trial.Id).FirstOrDefault()
                ?? throw CliException.Input($"--from-study {folder.Path} has no completed torch-mlp or torch-cnn trial; name one with --trial.");
        }
        if (chosen.TrainerParameters is null)
            throw CliException.Input($"--trial {chosen.Trial.Id} has no parameters in {folder.StudyDb}.");
        return new StudyTrial(TorchCandidateNamed(chosen.Trainer)!, chosen.TrainerParameters, chosen.Trial.Id, settings.StudyName, folder.Path);
    }

    static TorchCandidate? TorchCandidateNamed(string trainer) =>
        TrainerPortfolio.All.OfType<TorchCandidate>().FirstOrDefault(c => c.Name == trainer);
}
