namespace SharpCache.Storage.Remote.Resilience;

/// <summary>Counters of one <see cref="ResilientRemoteStorage"/> since it was made.</summary>
/// <param name="Errors">Calls that failed (error results, timeouts, exceptions); short-circuits are not included.</param>
/// <param name="Timeouts">Calls ended by the operation timeout (also counted in <paramref name="Errors"/>).</param>
/// <param name="ShortCircuits">Calls refused without I/O because the circuit was open.</param>
/// <param name="CircuitOpenings">Times the circuit opened.</param>
/// <param name="State">The circuit's state now.</param>
public sealed record ResilienceStatsSnapshot(long Errors, long Timeouts, long ShortCircuits, long CircuitOpenings, CircuitState State);
