namespace SharpCache.Storage.Remote.Tests.Support;

/// <summary>A clock the test moves by hand; timers stay real (timeouts still fire in wall time).</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
