using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Client.Storage;

/// <summary>
/// The client's view of the cache chain: the local disk (when it is a level; read and written
/// here, no daemon involved), then the daemon's remote tiers. A remote hit is copied into the
/// local disk; a store goes to the disk (unless read-only) and is handed to the daemon.
/// </summary>
internal sealed class TieredCacheStore : ICacheStore
{
    private readonly DiskStorage? _disk;
    private readonly bool _diskReadOnly;
    private readonly RemoteTierClient? _remote;

    public TieredCacheStore(DiskStorage? disk, bool diskReadOnly, RemoteTierClient? remote)
    {
        _disk = disk;
        _diskReadOnly = diskReadOnly;
        _remote = remote;
    }

    /// <summary>A remote tier served a read in this process (one compile per process): reported in the compile record.</summary>
    public static bool ServedRemoteHit { get; private set; }

    public StorageReadResult Get(CacheKey key)
    {
        if (_disk is not null && _disk.Get(key) is StorageReadResult.Hit local)
        {
            return local;
        }

        if (_remote is null)
        {
            return StorageReadResult.Miss.Instance;
        }

        var remote = _remote.Get(key);
        if (remote is StorageReadResult.Hit hit)
        {
            ServedRemoteHit = true;
            if (_disk is not null && !_diskReadOnly)
            {
                _ = _disk.Put(key, hit.Data);
            }
        }

        return remote;
    }

    public StorageWriteResult Put(CacheKey key, ReadOnlySpan<byte> data)
    {
        var result = StorageWriteResult.Failed;
        if (_disk is not null && !_diskReadOnly)
        {
            result = _disk.Put(key, data);
        }

        if (_remote is not null && _remote.Put(key, data) && _disk is null)
        {
            result = StorageWriteResult.Written;
        }

        return result;
    }

    public void Remove(CacheKey key) => _disk?.Remove(key);
}
