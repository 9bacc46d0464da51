namespace SharpCache.Config;

/// <summary>What the <c>SCCACHE_*</c> variables say (sccache's <c>EnvConfig</c>): sections and values that override the file.</summary>
public sealed record EnvConfig
{
    public CacheConfigs Cache { get; init; } = new();

    /// <summary><c>SCCACHE_BASEDIRS</c> split on <c>:</c>, or null when unset (then the file's list applies).</summary>
    public IReadOnlyList<string>? Basedirs { get; init; }

    /// <summary><c>SCCACHE_CLIENT_SIDE</c>, or null when unset.</summary>
    public bool? ClientSideMode { get; init; }
}
