using System.Diagnostics;
using SharpCache.Core.Entries;
using SharpCache.Logging;
using SharpCache.Protocol;
using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Daemon;

/// <summary>
/// Writes a distributed compile's cache entry in the daemon (<see cref="DistStoreRequest"/>), which holds the outputs before the
/// client does: the entry is encoded and stored while the client writes the object, instead of after it. The entry is the
/// one the client would have stored: the files in the request's order, returned outputs with mode 0 (restored as the
/// compiler creates a file: 0666 less the umask), local side files (the depfile) read from disk as the client reads them.
/// </summary>
internal static class DistStore
{
    /// <summary>Outcome bytes of <see cref="MessageType.DistStored"/>.</summary>
    public const byte Stored = 0;

    public const byte Skipped = 1;

    public const byte Failed = 2;

    /// <summary>Whether <paramref name="result"/> is one the daemon stores for <paramref name="request"/>.</summary>
    public static bool Applies(DistCompileRequest request, DistCompileResult result) =>
        request.Store is not null && result.Status == DistCompileStatus.Completed && result.ExitCode == 0;

    /// <summary>Writes the entry; never throws (a failure is an outcome, logged).</summary>
    public static (byte Outcome, long Micros) Write(DistStoreRequest store, DistCompileResult result)
    {
        var stopwatch = Stopwatch.StartNew();
        byte outcome;
        try
        {
            outcome = Collect(store, result) is { } entry ? Put(store, entry) : Skipped;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // ArgumentException: a key that is not one (the client's bug), or an entry the format cannot hold.
            Log.Warn("cache write of a distributed compile failed: " + e.Message);
            outcome = e is ArgumentException ? Skipped : Failed;
        }

        return (outcome, (long)stopwatch.Elapsed.TotalMicroseconds);
    }

    private static CacheEntry? Collect(DistStoreRequest store, DistCompileResult result)
    {
        var files = new List<EntryFile>(store.Files.Count);
        var started = new DateTime(store.StartedUtcTicks, DateTimeKind.Utc);
        foreach (var file in store.Files)
        {
            if (file.Returned)
            {
                if (Find(result.Outputs, file.Path) is { } content)
                {
                    files.Add(new EntryFile(file.Role, 0, content));
                }
                else if (file.Required)
                {
                    return null;
                }

                continue;
            }

            if (!SharpCache.Client.OutputRoles.WrittenBy(new FileInfo(file.Path), started))
            {
                if (file.Required)
                {
                    return null;
                }

                continue;
            }

            files.Add(new EntryFile(file.Role, (int)File.GetUnixFileMode(file.Path), File.ReadAllBytes(file.Path)));
        }

        return new CacheEntry { Files = files, Stdout = result.Stdout, Stderr = result.Stderr };
    }

    private static byte Put(DistStoreRequest store, CacheEntry entry)
    {
        var started = Stopwatch.GetTimestamp();
        var bytes = EntryCodec.Encode(entry, store.ZstdLevel);
        var encoded = Stopwatch.GetTimestamp();
        // An entry replaced (a forced recompile) is deleted beside the report, not before it.
        var disk = new DiskStorage(store.CacheDirectory, store.MaxCacheSize) { DeleteLater = aside => Task.Run(() => DiskStorage.TryDelete(aside)) };
        var written = disk.Put(new CacheKey(store.Key), bytes);
        if (Log.IsEnabled(LogLevel.Debug))
        {
            Log.Debug($"dist entry {store.Key}: encoded in {Stopwatch.GetElapsedTime(started, encoded).TotalMicroseconds:F0} us, written in {Stopwatch.GetElapsedTime(encoded).TotalMicroseconds:F0} us: {written}");
        }

        return written switch
        {
            StorageWriteResult.Written => Stored,
            StorageWriteResult.TooLarge => Skipped,
            _ => Failed,
        };
    }

    private static byte[]? Find(IReadOnlyList<KeyValuePair<string, byte[]>> outputs, string path)
    {
        foreach (var (name, content) in outputs)
        {
            if (name == path)
            {
                return content;
            }
        }

        return null;
    }
}
