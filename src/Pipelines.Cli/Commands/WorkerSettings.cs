namespace Pipelines.Cli.Commands;

/// <summary>The options of `worker`: the shared study, this worker's budget, its heartbeat grace and its output folder.</summary>
internal sealed class WorkerSettings : SharedStudySettings
{
    [CommandOption("--train-time <SECONDS>")]
    [Description("This worker's time budget in seconds. Default: the study's own --train-time (unless only --max-trials is given).")]
    public double? TrainTime { get; init; }

    [CommandOption("--max-trials <N>")]
    [Description("Run at most this many trials in this worker. Default: the study's own --max-trials (unless only --train-time is given).")]
    public int? MaxTrials { get; init; }

    [CommandOption("--heartbeat-grace <SECONDS>")]
    [Description("A running trial of another worker whose heartbeat is older than this is failed and run again (once). Each running trial beats four times per grace period.")]
    [DefaultValue(120.0)]
    public double HeartbeatGrace { get; init; } = 120;

    [CommandOption("-o|--output <DIR>")]
    [Description("Where this worker writes the best model it knows of the study, its leaderboard and report at the end. Default: ./<study>-worker-<machine>-<process id>.")]
    public string? Output { get; init; }

    [CommandOption("--force")]
    [Description("Replace a run already in the output folder.")]
    public bool Force { get; init; }
}
