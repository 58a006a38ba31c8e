namespace Pipelines.Cli.Runs;

/// <summary>
/// How a `pipelines worker` process takes part in a shared study: the heartbeat grace after which it fails (and
/// reruns) another worker's silent trial, and a tuner seed of its own, so that workers that joined together do
/// not propose the same configurations.
/// </summary>
internal sealed record WorkerRole(TimeSpan HeartbeatGrace, int TunerSeed)
{
    public static WorkerRole Joining(double graceSeconds) => new(TimeSpan.FromSeconds(graceSeconds), Random.Shared.Next());
}
