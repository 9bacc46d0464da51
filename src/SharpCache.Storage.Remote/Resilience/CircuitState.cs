namespace SharpCache.Storage.Remote.Resilience;

/// <summary>State of a tier's circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Calls go through.</summary>
    Closed,

    /// <summary>The tier failed recently: calls are refused without I/O until the break ends.</summary>
    Open,

    /// <summary>The break ended and one trial call is in flight; its outcome closes or re-opens the circuit.</summary>
    HalfOpen,
}
