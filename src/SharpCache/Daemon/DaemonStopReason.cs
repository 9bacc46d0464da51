namespace SharpCache.Daemon;

/// <summary>Why a <see cref="DaemonServer"/> stopped.</summary>
internal enum DaemonStopReason
{
    /// <summary>A signal, a <c>Shutdown</c> request or the host.</summary>
    Requested,

    /// <summary>No request for <c>SCCACHE_IDLE_TIMEOUT</c> seconds.</summary>
    IdleTimeout,

    /// <summary>The listening socket failed for good.</summary>
    ListenerFailed,
}
