namespace SharpCache.Config;

/// <summary><c>[cache.multilevel]</c> / <c>SCCACHE_MULTILEVEL_CHAIN</c>, <c>SCCACHE_MULTILEVEL_WRITE_ERROR_POLICY</c>.</summary>
public sealed record MultiLevelConfig
{
    /// <summary><c>chain</c>: level names, fastest first (<c>disk</c>, <c>redis</c>, <c>s3</c>, ...).</summary>
    public required IReadOnlyList<string> Chain { get; init; }

    public WriteErrorPolicy WriteErrorPolicy { get; init; } = WriteErrorPolicy.L0;
}
