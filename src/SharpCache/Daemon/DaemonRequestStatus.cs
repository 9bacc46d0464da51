namespace SharpCache.Daemon;

/// <summary>How a request to the daemon went.</summary>
internal enum DaemonRequestStatus
{
    /// <summary>A well-formed response came back.</summary>
    Ok,

    /// <summary>Nothing listens at the address (no socket file, connection refused).</summary>
    NotRunning,

    /// <summary>Connected, but the exchange broke off or returned garbage.</summary>
    Failed,

    /// <summary>Connected, but the daemon did not answer in time (it is hung or overloaded).</summary>
    TimedOut,
}
