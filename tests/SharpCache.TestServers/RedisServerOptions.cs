namespace SharpCache.TestServers;

/// <summary>How to start a <see cref="RedisServer"/>. Defaults: no auth, TCP only, no persistence.</summary>
public sealed record RedisServerOptions
{
    /// <summary><c>requirepass</c>: the default user's password.</summary>
    public string? Password { get; init; }

    /// <summary>An extra ACL user with all keys and commands (<c>user NAME on &gt;PASS ~* &amp;* +@all</c>).</summary>
    public string? AclUser { get; init; }

    public string? AclPassword { get; init; }

    /// <summary>Also listen on a unix socket (<see cref="RedisServer.UnixSocketPath"/>) in the temp directory.</summary>
    public bool UnixSocket { get; init; }

    /// <summary>TLS only on the port (a self-signed certificate for 127.0.0.1/localhost made with openssl; no client certificates).</summary>
    public bool Tls { get; init; }

    /// <summary>Run as a cluster node (<c>cluster-enabled yes</c>, bus on port + 10000); see <see cref="RedisCluster"/>.</summary>
    public bool ClusterNode { get; init; }
}
