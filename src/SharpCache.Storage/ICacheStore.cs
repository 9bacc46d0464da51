namespace SharpCache.Storage;

/// <summary>
/// What a compile pipeline reads and writes: the local disk cache, or the client's view of the
/// whole chain (disk, then the daemon's remote tiers). Never throws for I/O: errors are results.
/// </summary>
public interface ICacheStore
{
    StorageReadResult Get(CacheKey key);

    StorageWriteResult Put(CacheKey key, ReadOnlySpan<byte> data);

    /// <summary>Drops a local copy found corrupt (remote tiers validate their own reads).</summary>
    void Remove(CacheKey key);
}
