namespace SharpCache.Config;

/// <summary><c>[dist]</c> of the client config (file only; sccache has no variables for it).</summary>
public sealed record DistConfig
{
    /// <summary><c>scheduler_url</c>, checked and normalised (<c>http(s)://host[:port]/</c>); null = distribution off.</summary>
    public string? SchedulerAddress { get; init; }

    /// <summary><see cref="SchedulerAddress"/> as a <see cref="Uri"/> (built on each call: the client's hit path never asks).</summary>
    public Uri? SchedulerUrl => SchedulerAddress is null ? null : new Uri(SchedulerAddress, UriKind.Absolute);

    /// <summary><c>cache_dir</c>: toolchain cache root; default <c>$XDG_CACHE_HOME/sharpcache-dist-client</c>.</summary>
    public required string CacheDir { get; init; }

    /// <summary><c>toolchain_cache_size</c> bytes (default 10 GiB).</summary>
    public long ToolchainCacheSize { get; init; } = SizeValue.TenGiB;

    /// <summary><c>rewrite_includes_only</c>: preprocess with <c>-frewrite-includes</c>/<c>-fdirectives-only</c>.</summary>
    public bool RewriteIncludesOnly { get; init; }

    /// <summary><c>[dist.auth]</c>; default the insecure token.</summary>
    public DistAuthConfig Auth { get; init; } = new DistTokenAuth(DistAuthConfig.InsecureClientToken);

    /// <summary><c>[[dist.toolchains]]</c>.</summary>
    public IReadOnlyList<DistToolchainConfig> Toolchains { get; init; } = [];
}
