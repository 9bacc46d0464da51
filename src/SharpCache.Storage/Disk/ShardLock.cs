using System.Buffers.Binary;
using System.Diagnostics;

namespace SharpCache.Storage.Disk;

/// <summary>
/// Exclusive, cross-process lock on one shard, held as an open handle on the shard's <c>stats</c>
/// file, which also stores the shard's counters (16 bytes: int64 size, int64 files, little-endian).
/// </summary>
/// <remarks>
/// On Unix, .NET implements <see cref="FileShare.None"/> with <c>flock(LOCK_EX | LOCK_NB)</c>, an
/// advisory lock tied to the open file description: it excludes other processes and other handles
/// in this process alike, and the kernel drops it when a holder dies, so a crashed client never
/// wedges the cache. The call does not block, hence the retry loop. (Setting
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns this off; counters may then drift until the
/// next eviction scan or recount repairs them.)
/// </remarks>
internal sealed class ShardLock : IDisposable
{
    private const int CountersSize = 16;

    private readonly FileStream _stream;

    private ShardLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, creating the shard directory if asked; null when it cannot be had in time or at all.</summary>
    public static ShardLock? TryAcquire(string shardDirectory, bool createDirectory, TimeSpan timeout)
    {
        var path = Path.Join(shardDirectory, DiskLayout.StatsFileName);
        var start = Stopwatch.GetTimestamp();
        var delayMs = 1;
        var createdDirectory = false;
        while (true)
        {
            try
            {
                var mode = createDirectory ? FileMode.OpenOrCreate : FileMode.Open;
                return new ShardLock(new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None, bufferSize: 0));
            }
            catch (DirectoryNotFoundException) when (createDirectory && !createdDirectory)
            {
                createdDirectory = true;
                if (!TryCreateDirectory(shardDirectory))
                {
                    return null;
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException)
            {
                // Held by someone else (EWOULDBLOCK surfaces as a plain IOException), or a real error:
                // either way retry until the deadline; a real error just costs the timeout.
                if (Stopwatch.GetElapsedTime(start) >= timeout)
                {
                    return null;
                }

                Thread.Sleep(delayMs);
                delayMs = Math.Min(delayMs * 2, 16);
            }
        }
    }

    /// <summary>The stored counters, or null when the file is new or unreadable (the caller recounts).</summary>
    public DiskUsage? ReadCounters()
    {
        Span<byte> buffer = stackalloc byte[CountersSize];
        if (RandomAccess.Read(_stream.SafeFileHandle, buffer, 0) != CountersSize)
        {
            return null;
        }

        var size = BinaryPrimitives.ReadInt64LittleEndian(buffer);
        var files = BinaryPrimitives.ReadInt64LittleEndian(buffer[8..]);
        return size < 0 || files < 0 ? null : new DiskUsage(size, files);
    }

    public void WriteCounters(DiskUsage usage)
    {
        Span<byte> buffer = stackalloc byte[CountersSize];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, Math.Max(0, usage.SizeBytes));
        BinaryPrimitives.WriteInt64LittleEndian(buffer[8..], Math.Max(0, usage.Files));
        RandomAccess.Write(_stream.SafeFileHandle, buffer, 0);
    }

    public void Dispose() => _stream.Dispose();

    private static bool TryCreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
