namespace SharpCache.Daemon;

/// <summary>How a request to the daemon went.</summary>
internal enum DaemonRequestStatus
{
    /// <summary>A well-formed response came back.</summary>
    Ok,

    /// <summary>Nothing listens at the address (no socket file, connection refused).</summary>
    NotRunning,

    /// <summary>Connected, but the exchange timed out, broke off or returned garbage.</summary>
    Failed,
}
