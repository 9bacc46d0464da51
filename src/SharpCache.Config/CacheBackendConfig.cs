namespace SharpCache.Config;

/// <summary>
/// One configured cache backend (a <c>[cache.*]</c> section or its <c>SCCACHE_*</c> variables). The sealed
/// subtypes are the backends; a <see cref="ResolvedStorage"/> lists them as levels, fastest first.
/// </summary>
public abstract record CacheBackendConfig
{
    /// <summary>Which backend this is.</summary>
    public abstract CacheBackendKind Kind { get; }

    /// <summary>The section and chain name: <c>disk</c>, <c>s3</c>, <c>redis</c>, ...</summary>
    public string Name => BackendNames.Of(Kind);

    /// <summary><c>rw_mode</c>; a read-only level is never written (back-fills included).</summary>
    public CacheRwMode RwMode { get; init; } = CacheRwMode.ReadWrite;

    /// <summary>False for the backends sccache has and SharpCache does not (Alibaba OSS, Tencent COS).</summary>
    public virtual bool IsSupported => true;
}
