namespace SharpCache.Protocol;

/// <summary>How one wrapped compiler invocation ended, as counted in the stats.</summary>
public enum CompileOutcome : byte
{
    /// <summary>Outputs restored from the cache.</summary>
    CacheHit = 1,

    /// <summary>Compiled and (if the compile succeeded) stored.</summary>
    CacheMiss = 2,

    /// <summary>Run directly; <see cref="CompileRecord.NotCacheableReason"/> names why.</summary>
    NotCacheable = 3,

    /// <summary>Not a compile at all (a link, <c>--version</c>): <c>requests_not_compile</c>.</summary>
    NotCompile = 4,

    /// <summary>The compiler could not be identified.</summary>
    UnsupportedCompiler = 5,

    /// <summary>Cacheable compile whose compiler exited non-zero (not stored).</summary>
    CompileFailed = 6,

    /// <summary>Preprocessing failed (its diagnostics and exit code were returned).</summary>
    CacheError = 7,
}
