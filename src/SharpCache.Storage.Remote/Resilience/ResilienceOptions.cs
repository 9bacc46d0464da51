namespace SharpCache.Storage.Remote.Resilience;

/// <summary>
/// Timeouts and circuit breaker of one tier (<see cref="ResilientRemoteStorage"/>). Defaults in
/// one place: get 3 s, put 10 s, check 5 s, open after 3 consecutive failures for 30 s. The
/// connect timeout (2 s by default) is each backend's own option, since only the backend knows
/// when it connects.
/// </summary>
public sealed record ResilienceOptions
{
    public static ResilienceOptions Default { get; } = new();

    public TimeSpan GetTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan PutTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on <see cref="IRemoteStorage.CheckAsync"/> (connect, write and read back).</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failures (errors or timeouts) that open the circuit.</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>How long an open circuit refuses calls before one trial call (half-open).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
