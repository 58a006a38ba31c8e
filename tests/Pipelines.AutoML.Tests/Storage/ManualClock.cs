namespace Pipelines.AutoML.Tests.Storage;

/// <summary>A clock that only moves when told, so heartbeat timeouts are tested without waiting.</summary>
sealed class ManualClock : TimeProvider
{
    DateTimeOffset _now;

    public ManualClock(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
