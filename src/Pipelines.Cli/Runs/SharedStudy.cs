using Pipelines.AutoML.Storage;

namespace Pipelines.Cli.Runs;

/// <summary>A study that workers share, found by its storage URL and name, with the settings of the run that created it.</summary>
internal sealed record SharedStudy(string Location, StudyRecord Study, RunSettings Settings)
{
    /// <summary>Opens the storage once to read the study's record; a missing URL, storage or study ends the command, naming which.</summary>
    public static SharedStudy Find(string? storageOption, string studyName)
    {
        var location = StudyLocation.Given(storageOption)
            ?? throw CliException.Input($"--storage is required (or {StudyLocation.Variable}): the URL of the study's database, as its run was given.");
        if (string.IsNullOrWhiteSpace(studyName)) throw CliException.Input("--study: give the study's name.");
        using var storage = StudyLocation.Open(location);
        var study = storage.GetStudy(studyName.Trim())
            ?? throw CliException.Input($"{StudyStorageFactory.Describe(location)} holds no study named '{studyName}' " +
                $"(it has: {string.Join(", ", storage.GetStudyNames().DefaultIfEmpty("none"))}).");
        var settings = StudyManifest.SettingsOf(study, location);
        return new SharedStudy(location, study, settings with { Storage = StudyLocation.ToKeep(location), Study = study.Name });
    }
}
