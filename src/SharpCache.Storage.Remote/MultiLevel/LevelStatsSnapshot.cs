namespace SharpCache.Storage.Remote.MultiLevel;

/// <summary>
/// One level's counters in a <see cref="MultiLevelStorage"/>, as sccache prints them under
/// "Multi-level cache levels". Reads: every probe of the level is exactly one of
/// <see cref="Hits"/>, <see cref="Misses"/> or <see cref="Errors"/> (a value the validator
/// rejects is an error, also in <see cref="Rejected"/>). Writes: every write the chain sends to
/// the level is one of <see cref="Writes"/> (puts), <see cref="BackfillsTo"/> (back-fills) or
/// <see cref="WriteErrors"/> (either, failed). <see cref="BackfillsFrom"/>: successful back-fills
/// of faster levels with a value found here. <see cref="Timeouts"/> and <see cref="ShortCircuits"/>
/// come from the level's <see cref="Resilience.ResilientRemoteStorage"/> (0 when it has none).
/// Latencies are wall time in milliseconds, over hits and over successful puts.
/// </summary>
public sealed record LevelStatsSnapshot
{
    public required int Level { get; init; }

    public required string Name { get; init; }

    public required string Location { get; init; }

    public required bool IsReadOnly { get; init; }

    public long Hits { get; init; }

    public long Misses { get; init; }

    public long Errors { get; init; }

    public long Rejected { get; init; }

    public long Writes { get; init; }

    public long WriteErrors { get; init; }

    public long BackfillsTo { get; init; }

    public long BackfillsFrom { get; init; }

    public long Timeouts { get; init; }

    public long ShortCircuits { get; init; }

    public double TotalHitLatencyMs { get; init; }

    public double TotalWriteLatencyMs { get; init; }

    public double AverageHitLatencyMs => Hits == 0 ? 0 : TotalHitLatencyMs / Hits;

    public double AverageWriteLatencyMs => Writes == 0 ? 0 : TotalWriteLatencyMs / Writes;

    /// <summary>Hits over reads that reached the level (hits + misses + errors), 0 when none.</summary>
    public double HitRate => Hits + Misses + Errors == 0 ? 0 : (double)Hits / (Hits + Misses + Errors);
}
