namespace SharpCache.Protocol;

/// <summary>
/// The daemon's counters at one moment: sccache's <c>ServerStats</c>, field for field.
/// Durations are totals in nanoseconds.
/// </summary>
public sealed record StatsSnapshot
{
    public static StatsSnapshot Empty { get; } = new();

    public long CompileRequests { get; init; }

    public long RequestsUnsupportedCompiler { get; init; }

    public long RequestsNotCompile { get; init; }

    public long RequestsNotCacheable { get; init; }

    public long RequestsExecuted { get; init; }

    public LanguageCounts CacheErrors { get; init; } = LanguageCounts.Empty;

    public LanguageCounts CacheHits { get; init; } = LanguageCounts.Empty;

    public LanguageCounts CacheMisses { get; init; } = LanguageCounts.Empty;

    public long CacheTimeouts { get; init; }

    public long CacheReadErrors { get; init; }

    public long NonCacheableCompilations { get; init; }

    public long ForcedRecaches { get; init; }

    public long CacheWriteErrors { get; init; }

    public long CacheWrites { get; init; }

    public long CacheWriteNanos { get; init; }

    public long CacheReadHitNanos { get; init; }

    public long Compilations { get; init; }

    public long CompilerNanos { get; init; }

    public long CompileFails { get; init; }

    /// <summary>Not-cacheable reason to count.</summary>
    public IReadOnlyDictionary<string, long> NotCached { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Build server address to successful distributed compiles.</summary>
    public IReadOnlyDictionary<string, long> DistCompiles { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    public long DistErrors { get; init; }
}
