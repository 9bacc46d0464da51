namespace SharpCache.Config;

/// <summary>
/// The effective client configuration: the config file overlaid with the <c>SCCACHE_*</c> variables (env wins,
/// section by section), the selected storage, and every problem found. Produced by <see cref="ConfigLoader"/>,
/// which never throws: a broken file or variable is an entry of <see cref="Errors"/> and its value is ignored.
/// </summary>
public sealed record SharpCacheConfig
{
    /// <summary>sccache's default wait for the daemon to start.</summary>
    public static readonly TimeSpan DefaultServerStartupTimeout = TimeSpan.FromMilliseconds(10000);

    /// <summary>The config file that was read, or null when there was none.</summary>
    public string? FilePath { get; init; }

    /// <summary>Every cache section after the overlay.</summary>
    public CacheConfigs Cache { get; init; } = new();

    /// <summary>What to use: levels, disk settings, write policy.</summary>
    public required ResolvedStorage Storage { get; init; }

    /// <summary><c>[dist]</c> with its defaults.</summary>
    public required DistConfig Dist { get; init; }

    /// <summary><c>server_startup_timeout_ms</c>.</summary>
    public TimeSpan ServerStartupTimeout { get; init; } = DefaultServerStartupTimeout;

    /// <summary><c>SCCACHE_BASEDIRS</c> or <c>basedirs</c>: absolute, normalised, no trailing separator, no duplicates.</summary>
    public IReadOnlyList<string> Basedirs { get; init; } = [];

    /// <summary>
    /// <c>SCCACHE_CLIENT_SIDE</c> or <c>client_side_mode</c>, turned off (as in sccache) when <c>SCCACHE_LOG</c>
    /// is set or a scheduler is configured.
    /// </summary>
    public bool ClientSideMode { get; init; }

    /// <summary>Problems that make a setting unusable (exit 2 for admin verbs; compiles still run).</summary>
    public IReadOnlyList<ConfigError> Errors { get; init; } = [];

    /// <summary>Things worth saying that change nothing (deprecated variables, assumed schemes).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
