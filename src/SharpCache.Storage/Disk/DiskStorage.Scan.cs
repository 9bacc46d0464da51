using System.IO.Enumeration;

namespace SharpCache.Storage.Disk;

/// <summary>Shard scans: recount, stale temp cleanup, LRU eviction. Always called under the shard lock.</summary>
public sealed partial class DiskStorage
{
    private static readonly EnumerationOptions ScanOptions = new()
    {
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        AttributesToSkip = 0,
    };

    /// <summary>Walks every shard, deletes stale temp files and rewrites the counters from what is on disk.</summary>
    public DiskUsage Recount() => ForEachShard(evict: false);

    /// <summary><see cref="Recount"/>, and also evicts any shard over its share (e.g. after the limit was lowered).</summary>
    public DiskUsage Cleanup() => ForEachShard(evict: true);

    /// <summary>Deletes every entry (and stale temp file) and zeroes the counters. Returns what is left (normally nothing).</summary>
    public DiskUsage Clear()
    {
        var total = default(DiskUsage);
        for (var shard = 0; shard < DiskLayout.ShardCount; shard++)
        {
            var directory = DiskLayout.ShardDirectory(RootDirectory, shard);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            using var shardLock = ShardLock.TryAcquire(directory, createDirectory: true, _lockTimeout);
            var left = ScanShard(shard, evictTo: 0, keepPath: null);
            TryWriteCounters(shardLock, left);
            total += left;
        }

        return total;
    }

    private DiskUsage ForEachShard(bool evict)
    {
        var total = default(DiskUsage);
        for (var shard = 0; shard < DiskLayout.ShardCount; shard++)
        {
            var directory = DiskLayout.ShardDirectory(RootDirectory, shard);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            using var shardLock = ShardLock.TryAcquire(directory, createDirectory: true, _lockTimeout);
            var usage = ScanShard(shard, evictTo: null, keepPath: null);
            if (evict && usage.SizeBytes > ShardLimitBytes)
            {
                usage = ScanShard(shard, evictTo: ShardLimitBytes / 10 * 9, keepPath: null);
            }

            TryWriteCounters(shardLock, usage);
            total += usage;
        }

        return total;
    }

    /// <summary>
    /// Lists the shard's entries, deletes temp files older than <see cref="StaleTempAge"/>, and when
    /// <paramref name="evictTo"/> is set deletes least-recently-used entries (oldest mtime first,
    /// never <paramref name="keepPath"/>) until the shard holds at most that many bytes. Returns the
    /// shard's true usage afterwards.
    /// </summary>
    private DiskUsage ScanShard(int shard, long? evictTo, string? keepPath)
    {
        var entries = ListEntries(DiskLayout.ShardDirectory(RootDirectory, shard));
        var usage = default(DiskUsage);
        foreach (var entry in entries)
        {
            usage += new DiskUsage(entry.Length, 1);
        }

        if (evictTo is not { } target || usage.SizeBytes <= target)
        {
            return usage;
        }

        entries.Sort(static (a, b) => a.LastWriteUtc.CompareTo(b.LastWriteUtc));
        foreach (var entry in entries)
        {
            if (usage.SizeBytes <= target)
            {
                break;
            }

            if (entry.Path != keepPath && TryDelete(entry.Path))
            {
                usage += new DiskUsage(-entry.Length, -1);
            }
        }

        return usage;
    }

    private List<DiskEntryInfo> ListEntries(string shardDirectory)
    {
        var entries = new List<DiskEntryInfo>();
        var staleBefore = _timeProvider.GetUtcNow().UtcDateTime - StaleTempAge;
        foreach (var subdirectory in Enumerate(shardDirectory, directories: true))
        {
            if (!DiskLayout.IsEntryDirectoryName(Path.GetFileName(subdirectory.Path.AsSpan())))
            {
                continue;
            }

            foreach (var file in Enumerate(subdirectory.Path, directories: false))
            {
                if (!file.Path.EndsWith(DiskLayout.TempSuffix, StringComparison.Ordinal))
                {
                    entries.Add(file);
                }
                else if (file.LastWriteUtc < staleBefore)
                {
                    TryDelete(file.Path);
                }
            }
        }

        return entries;
    }

    private static List<DiskEntryInfo> Enumerate(string directory, bool directories)
    {
        try
        {
            var enumerable = new FileSystemEnumerable<DiskEntryInfo>(
                directory,
                static (ref entry) => new DiskEntryInfo(entry.ToFullPath(), entry.Length, entry.LastWriteTimeUtc.UtcDateTime),
                ScanOptions)
            {
                ShouldIncludePredicate = directories
                    ? static (ref entry) => entry.IsDirectory
                    : static (ref entry) => !entry.IsDirectory,
            };
            return [.. enumerable];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Vanished or unreadable: nothing to count there.
            return [];
        }
    }

    private static void TryWriteCounters(ShardLock? shardLock, DiskUsage usage)
    {
        try
        {
            shardLock?.WriteCounters(usage);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next scan repairs the counters.
        }
    }
}
