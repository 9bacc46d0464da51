namespace SharpCache.Core.Compilers;

/// <summary>Outcome of parsing a compiler command line: a closed set of cases (CONVENTIONS.md §7).</summary>
public abstract record ArgumentParseResult
{
    private ArgumentParseResult()
    {
    }

    /// <summary>One cacheable compile.</summary>
    public sealed record Cacheable(ParsedCompilation Compilation) : ArgumentParseResult;

    /// <summary>Run the compiler directly; counted under <paramref name="Reason"/>. <paramref name="Detail"/> names the argument.</summary>
    public sealed record NotCacheable(NotCacheableReason Reason, string Detail) : ArgumentParseResult;
}
