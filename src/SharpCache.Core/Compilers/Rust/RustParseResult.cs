namespace SharpCache.Core.Compilers.Rust;

/// <summary>How a rustc command line classifies: a probe, not cacheable (with a reason), or cacheable.</summary>
public abstract record RustParseResult
{
    private RustParseResult()
    {
    }

    /// <summary>Not a compilation (<c>-vV</c>, <c>--print cfg</c>, cargo's <c>-</c> probes): run it straight through.</summary>
    public sealed record Probe : RustParseResult;

    /// <summary>A compile the cache cannot handle; <paramref name="Reason"/> is the stats' named reason.</summary>
    public sealed record NotCacheable(string Reason) : RustParseResult;

    /// <summary>A cacheable compile.</summary>
    public sealed record Cacheable(RustCompilation Compilation) : RustParseResult;
}
