namespace SharpCache.Config;

/// <summary>What one client config file says (sccache's <c>FileConfig</c>); absent keys keep the defaults.</summary>
public sealed record FileConfig
{
    public CacheConfigs Cache { get; init; } = new();

    /// <summary><c>[dist]</c>, or null when the file has no such table.</summary>
    public DistConfig? Dist { get; init; }

    /// <summary><c>server_startup_timeout_ms</c>, or null for the default (10 000 ms).</summary>
    public ulong? ServerStartupTimeoutMs { get; init; }

    /// <summary><c>basedirs</c> as written.</summary>
    public IReadOnlyList<string> Basedirs { get; init; } = [];

    /// <summary><c>client_side_mode</c>.</summary>
    public bool ClientSideMode { get; init; }
}
