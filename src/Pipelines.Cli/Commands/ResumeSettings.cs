namespace Pipelines.Cli.Commands;

/// <summary>The options of `resume`: the folder, and optionally a new budget.</summary>
internal sealed class ResumeSettings : RunFolderSettings
{
    [CommandOption("--train-time <SECONDS>")]
    [Description("Run for at most this many more seconds. With --max-trials, or alone, this replaces what is left of the run's own budget.")]
    public double? TrainTime { get; init; }

    [CommandOption("--max-trials <N>")]
    [Description("Run at most this many more trials. With --train-time, or alone, this replaces what is left of the run's own budget.")]
    public int? MaxTrials { get; init; }
}
