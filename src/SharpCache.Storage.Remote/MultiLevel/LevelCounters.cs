namespace SharpCache.Storage.Remote.MultiLevel;

/// <summary>Thread-safe counters of one level; latencies kept in stopwatch ticks.</summary>
internal sealed class LevelCounters
{
    private long _hits;
    private long _misses;
    private long _errors;
    private long _rejected;
    private long _writes;
    private long _writeErrors;
    private long _backfillsTo;
    private long _backfillsFrom;
    private long _hitTicks;
    private long _writeTicks;

    public void Hit(TimeSpan latency)
    {
        Interlocked.Increment(ref _hits);
        Interlocked.Add(ref _hitTicks, latency.Ticks);
    }

    public void Miss() => Interlocked.Increment(ref _misses);

    public void Error() => Interlocked.Increment(ref _errors);

    public void Rejected()
    {
        Interlocked.Increment(ref _rejected);
        Interlocked.Increment(ref _errors);
    }

    public void Written(TimeSpan latency)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _writeTicks, latency.Ticks);
    }

    public void WriteError() => Interlocked.Increment(ref _writeErrors);

    public void BackfilledTo() => Interlocked.Increment(ref _backfillsTo);

    public void BackfilledFrom() => Interlocked.Increment(ref _backfillsFrom);

    public LevelStatsSnapshot Snapshot(int level, IRemoteStorage storage, long timeouts, long shortCircuits) => new()
    {
        Level = level,
        Name = storage.Name,
        Location = storage.Location,
        IsReadOnly = storage.IsReadOnly,
        Hits = Interlocked.Read(ref _hits),
        Misses = Interlocked.Read(ref _misses),
        Errors = Interlocked.Read(ref _errors),
        Rejected = Interlocked.Read(ref _rejected),
        Writes = Interlocked.Read(ref _writes),
        WriteErrors = Interlocked.Read(ref _writeErrors),
        BackfillsTo = Interlocked.Read(ref _backfillsTo),
        BackfillsFrom = Interlocked.Read(ref _backfillsFrom),
        Timeouts = timeouts,
        ShortCircuits = shortCircuits,
        TotalHitLatencyMs = TimeSpan.FromTicks(Interlocked.Read(ref _hitTicks)).TotalMilliseconds,
        TotalWriteLatencyMs = TimeSpan.FromTicks(Interlocked.Read(ref _writeTicks)).TotalMilliseconds,
    };
}
