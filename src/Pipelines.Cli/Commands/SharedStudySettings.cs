namespace Pipelines.Cli.Commands;

/// <summary>The options of the commands that work on a study shared by workers (worker, export): where it is and its name.</summary>
internal abstract class SharedStudySettings : CommonSettings
{
    [CommandOption("--storage <URL>")]
    [Description(StudyOptionText.Storage + " Required (as the option or the variable).")]
    public string? Storage { get; init; }

    [CommandOption("--study <NAME>", isRequired: true)]
    [Description("The study's name, as the run that created it was given with --study.")]
    public string Study { get; init; } = "";
}
