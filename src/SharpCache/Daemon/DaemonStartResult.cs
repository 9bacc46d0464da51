namespace SharpCache.Daemon;

/// <summary>How <see cref="DaemonServer.StartAsync"/> ended.</summary>
internal enum DaemonStartResult
{
    /// <summary>Listening.</summary>
    Started,

    /// <summary>Another daemon holds the socket's lock (or the TCP port): nothing to do.</summary>
    AlreadyRunning,

    /// <summary>Could not create the directory, lock or socket; see the log.</summary>
    Failed,
}
