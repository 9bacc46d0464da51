using Microsoft.Win32.SafeHandles;

namespace SharpCache.Storage.Disk;

/// <summary>
/// Local disk cache shared by many processes: sharded directories, atomic writes, size-bounded
/// LRU eviction with per-shard counters kept under a cross-process lock. See README.md.
/// </summary>
/// <remarks>
/// Instances are cheap (no I/O in the constructor) and thread-safe; any number of instances and
/// processes may use one directory at once. No method throws for I/O problems.
/// </remarks>
public sealed partial class DiskStorage : ICacheStore
{
    /// <summary>A hit refreshes an entry's mtime (its LRU age) only when it is older than this.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>Temp files older than this belong to a crashed writer and are deleted by scans.</summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromMinutes(10);

    private static int _tempCounter;

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lockTimeout;

    public DiskStorage(string rootDirectory, long maxSizeBytes)
        : this(rootDirectory, maxSizeBytes, TimeProvider.System)
    {
    }

    public DiskStorage(string rootDirectory, long maxSizeBytes, TimeProvider timeProvider, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSizeBytes);
        ArgumentNullException.ThrowIfNull(timeProvider);
        // Absolute, so the paths scans compare against (keepPath) match what enumeration returns.
        RootDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        MaxSizeBytes = maxSizeBytes;
        _timeProvider = timeProvider;
        _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(5);
    }

    public string RootDirectory { get; }

    public long MaxSizeBytes { get; }

    /// <summary>Each of the 16 shards is evicted on its own when it exceeds this share of the limit.</summary>
    public long ShardLimitBytes => Math.Max(1, MaxSizeBytes / DiskLayout.ShardCount);

    /// <summary>
    /// Set: an entry replaced by <see cref="Put"/> is renamed aside and its new path handed here, for the caller to delete
    /// off its critical path; unset: it is deleted in place.
    /// </summary>
    public Action<string>? DeleteLater { get; init; }

    /// <summary>When true, Put fsyncs the data before publishing it (slower; survives power loss).</summary>
    public bool FlushToDisk { get; init; }

    /// <summary>One open and one read; no directory listing. A hit refreshes the entry's LRU age.</summary>
    public StorageReadResult Get(CacheKey key)
    {
        DiskLayout.Validate(key);
        var path = DiskLayout.EntryPath(RootDirectory, key.Hex);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var data = ReadAll(handle);
            Touch(handle);
            return new StorageReadResult.Hit(data);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return StorageReadResult.Miss.Instance;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new StorageReadResult.Error($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// Publishes <paramref name="data"/> atomically (temp file + rename), then updates the shard's
    /// counters and evicts its least recently used entries if it is over its share.
    /// </summary>
    public StorageWriteResult Put(CacheKey key, ReadOnlySpan<byte> data)
    {
        DiskLayout.Validate(key);
        if (data.Length > MaxSizeBytes)
        {
            return StorageWriteResult.TooLarge;
        }

        var path = DiskLayout.EntryPath(RootDirectory, key.Hex);
        string? tempPath = null;
        try
        {
            var directory = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(directory);
            tempPath = Path.Join(directory, $"{key.Hex}.{Environment.ProcessId}.{Interlocked.Increment(ref _tempCounter)}{DiskLayout.TempSuffix}");
            WriteTempFile(tempPath, data);
            Publish(DiskLayout.ShardIndex(key.Hex), tempPath, path, data.Length);
            tempPath = null;
            return StorageWriteResult.Written;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StorageWriteResult.Failed;
        }
        finally
        {
            if (tempPath is not null)
            {
                TryDelete(tempPath);
            }
        }
    }

    /// <summary>Removes an entry (used when it failed its checksum). Missing entries are ignored.</summary>
    public void Remove(CacheKey key)
    {
        DiskLayout.Validate(key);
        var path = DiskLayout.EntryPath(RootDirectory, key.Hex);
        var shard = DiskLayout.ShardIndex(key.Hex);
        using var shardLock = ShardLock.TryAcquire(DiskLayout.ShardDirectory(RootDirectory, shard), createDirectory: false, _lockTimeout);
        var length = TryGetLength(path);
        if (length < 0 || !TryDelete(path) || shardLock is null)
        {
            return;
        }

        try
        {
            // A fresh scan already reflects the deletion; stored counters need the delta.
            var stored = shardLock.ReadCounters();
            shardLock.WriteCounters(stored is { } counters
                ? counters + new DiskUsage(-length, -1)
                : ScanShard(shard, evictTo: null, keepPath: null));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Counters drift until the next scan repairs them.
        }
    }

    /// <summary>Current size in bytes as tracked by the shard counters (cheap: 16 small reads).</summary>
    public long CurrentSize() => GetUsage().SizeBytes;

    /// <summary>Size and file count as tracked by the shard counters.</summary>
    public DiskUsage GetUsage()
    {
        var total = default(DiskUsage);
        for (var shard = 0; shard < DiskLayout.ShardCount; shard++)
        {
            total += ReadShardCounters(shard);
        }

        return total;
    }

    private static byte[] ReadAll(SafeFileHandle handle)
    {
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IOException($"Entry of {length} bytes is too large to read.");
        }

        var data = GC.AllocateUninitializedArray<byte>((int)length);
        var read = 0;
        while (read < data.Length)
        {
            var n = RandomAccess.Read(handle, data.AsSpan(read), read);
            if (n == 0)
            {
                throw new IOException("Entry file shrank while being read.");
            }

            read += n;
        }

        return data;
    }

    private void Touch(SafeFileHandle handle)
    {
        try
        {
            var now = _timeProvider.GetUtcNow().UtcDateTime;
            if (now - File.GetLastWriteTimeUtc(handle) > TouchInterval)
            {
                File.SetLastWriteTimeUtc(handle, now);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only shared cache: LRU order is someone else's business.
        }
    }

    private void WriteTempFile(string tempPath, ReadOnlySpan<byte> data)
    {
        using var handle = File.OpenHandle(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, preallocationSize: data.Length);
        RandomAccess.Write(handle, data, 0);
        if (FlushToDisk)
        {
            RandomAccess.FlushToDisk(handle);
        }
    }

    /// <summary>Renames the temp file into place and accounts for it, under the shard lock so counters stay exact.</summary>
    private void Publish(int shard, string tempPath, string path, long length)
    {
        using var shardLock = ShardLock.TryAcquire(DiskLayout.ShardDirectory(RootDirectory, shard), createDirectory: true, _lockTimeout);
        var oldLength = TryGetLength(path);
        if (oldLength >= 0)
        {
            // Out of the way before the rename: replacing a file by rename makes ext4 (auto_da_alloc) start writing the new
            // file's data at once (0.2-0.6 ms); a reader in between finds no entry, a miss, as it would a moment earlier.
            // Deleting the old file costs about as much: with DeleteLater it is renamed aside (a temp name, which a scan
            // removes if it is left behind) and deleted by the caller when it suits.
            if (DeleteLater is not { } later || MoveAside(path) is not { } aside)
            {
                TryDelete(path);
            }
            else
            {
                later(aside);
            }
        }

        File.Move(tempPath, path, overwrite: true);
        if (shardLock is null)
        {
            return;
        }

        try
        {
            // A fresh scan already includes the new file; stored counters need the delta.
            var counters = shardLock.ReadCounters() is { } stored
                ? stored + (oldLength >= 0 ? new DiskUsage(length - oldLength, 0) : new DiskUsage(length, 1))
                : ScanShard(shard, evictTo: null, keepPath: path);
            if (counters.SizeBytes > ShardLimitBytes)
            {
                counters = ScanShard(shard, evictTo: ShardLimitBytes / 10 * 9, keepPath: path);
            }

            shardLock.WriteCounters(counters);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The entry is published; counters drift until the next scan repairs them.
        }
    }

    private DiskUsage ReadShardCounters(int shard)
    {
        var directory = DiskLayout.ShardDirectory(RootDirectory, shard);
        if (!Directory.Exists(directory))
        {
            return default;
        }

        using var shardLock = ShardLock.TryAcquire(directory, createDirectory: false, _lockTimeout);
        if (shardLock is null)
        {
            return default;
        }

        try
        {
            return shardLock.ReadCounters() ?? default;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    /// <summary>Renames <paramref name="path"/> to a free temp name beside it; null if that failed.</summary>
    private static string? MoveAside(string path)
    {
        var aside = $"{path}.{Environment.ProcessId}.{Interlocked.Increment(ref _tempCounter)}.old{DiskLayout.TempSuffix}";
        try
        {
            File.Move(path, aside);
            return aside;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long TryGetLength(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : -1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>Deletes a file of the cache; false if it could not (a scan removes a temp file left behind).</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
