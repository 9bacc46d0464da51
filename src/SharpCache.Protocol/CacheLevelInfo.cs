namespace SharpCache.Protocol;

/// <summary>
/// One level of the cache chain as <c>-s</c> shows it ("Multi-level cache levels"): the local disk
/// (counted by clients) or a remote tier (counted by the daemon). Latencies are totals in
/// nanoseconds; averages are derived when printed.
/// </summary>
public sealed record CacheLevelInfo
{
    /// <summary><c>disk</c>, <c>redis</c>, <c>s3</c>, ...</summary>
    public required string Name { get; init; }

    public string Location { get; init; } = "";

    public bool ReadOnly { get; init; }

    public long Hits { get; init; }

    public long Misses { get; init; }

    /// <summary>Read errors, timeouts and short-circuited calls of an open circuit breaker.</summary>
    public long Errors { get; init; }

    public long Timeouts { get; init; }

    /// <summary>Calls refused at once because the tier's circuit breaker was open.</summary>
    public long ShortCircuits { get; init; }

    public long Writes { get; init; }

    public long WriteErrors { get; init; }

    /// <summary>Entries this level received from a slower level's hit.</summary>
    public long BackfillsTo { get; init; }

    /// <summary>Hits at this level that were copied into faster levels.</summary>
    public long BackfillsFrom { get; init; }

    public long HitNanos { get; init; }

    public long WriteNanos { get; init; }
}
