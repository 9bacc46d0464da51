using System.Buffers;
using SharpCache.Configuration;
using SharpCache.Daemon;
using SharpCache.Logging;
using SharpCache.Protocol;
using SharpCache.Storage;

namespace SharpCache.Client.Storage;

/// <summary>
/// The client's handle on the daemon's remote tiers: a lookup is one request/response on the
/// daemon socket (the daemon holds the warm connections and does the I/O); a store is handed
/// over fire-and-forget. Starts the daemon when none runs. Never throws; every failure is a miss.
/// </summary>
internal sealed class RemoteTierClient
{
    /// <summary>Largest reply accepted: a cache entry (compressed outputs) is far below this.</summary>
    private const int MaxReplyLength = 512 << 20;

    /// <summary>Frame overhead of a put beyond the data: prefix, version, type, key string, length.</summary>
    private const int PutOverhead = 128;

    private readonly SharpCacheOptions _options;
    private readonly Func<SharpCacheOptions, bool>? _launcher;

    public RemoteTierClient(SharpCacheOptions options, Func<SharpCacheOptions, bool>? launcher)
    {
        _options = options;
        _launcher = launcher;
    }

    /// <summary>Bound on one lookup's wait for the daemon (its tiers have their own, shorter timeouts).</summary>
    public TimeSpan LookupTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After a daemon failed to answer, how long every client skips the remote tiers.</summary>
    public static TimeSpan UnresponsiveBackoff { get; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a cold daemon may take to start answering.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Objects the daemon sent along with an earlier reply (a manifest's entries), by key.</summary>
    private readonly Dictionary<string, byte[]> _prefetched = new(StringComparer.Ordinal);

    public StorageReadResult Get(CacheKey key)
    {
        if (_prefetched.Remove(key.Hex, out var prefetched))
        {
            return new StorageReadResult.Hit(prefetched);
        }

        // A daemon that hung (stopped, swapping, deadlocked) costs one client one timeout; the
        // next clients of the build see the marker and compile without the remote tiers.
        if (RecentlyUnresponsive())
        {
            return new StorageReadResult.Error("daemon unresponsive recently: remote tiers skipped");
        }

        var payload = new ArrayBufferWriter<byte>(80);
        RemoteMessageCodec.WriteGet(payload, key.Hex);
        var frame = new ArrayBufferWriter<byte>(96);
        FrameCodec.WriteFrame(frame, MessageType.RemoteGet, payload.WrittenSpan);
        var status = DaemonClient.Exchange(_options, frame.WrittenSpan, _launcher, StartupTimeout, LookupTimeout, MaxReplyLength, out var body);
        if (status != DaemonRequestStatus.Ok || body is null)
        {
            if (status == DaemonRequestStatus.TimedOut)
            {
                MarkUnresponsive();
            }

            return new StorageReadResult.Error("daemon " + status switch
            {
                DaemonRequestStatus.NotRunning => "not running",
                DaemonRequestStatus.TimedOut => "did not answer in time",
                _ => "closed the connection",
            });
        }

        if (!FrameCodec.TryReadBody(body, out _, out var type, out var replyPayload)
            || type != MessageType.RemoteGetReply
            || !RemoteMessageCodec.TryReadReply(replyPayload, out var reply, out var data, out var reason, out var bundle))
        {
            return new StorageReadResult.Error("malformed daemon reply");
        }

        switch (reply)
        {
            case RemoteGetStatus.Hit:
                foreach (var (bundledKey, bytes) in bundle)
                {
                    _prefetched[bundledKey] = bytes;
                }

                return new StorageReadResult.Hit(data.ToArray());
            case RemoteGetStatus.Error:
                return new StorageReadResult.Error(reason ?? "remote tiers failed");
            case RemoteGetStatus.NoTiers:
                Log.Debug("the daemon has no remote tiers (is sharpcache-daemon installed next to sharpcache?)");
                return StorageReadResult.Miss.Instance;
            default:
                return StorageReadResult.Miss.Instance;
        }
    }

    /// <summary>True when the daemon took the bytes (it writes them in the background).</summary>
    public bool Put(CacheKey key, ReadOnlySpan<byte> data)
    {
        if (RecentlyUnresponsive())
        {
            return false;
        }

        if (data.Length > _options.MaxFrameLength - PutOverhead)
        {
            Log.Debug("entry " + key.Hex + " is over SCCACHE_MAX_FRAME_LENGTH: not sent to the remote tiers");
            return false;
        }

        var payload = new ArrayBufferWriter<byte>(data.Length + 80);
        RemoteMessageCodec.WritePut(payload, key.Hex, data);
        var frame = new ArrayBufferWriter<byte>(payload.WrittenCount + 8);
        FrameCodec.WriteFrame(frame, MessageType.RemotePut, payload.WrittenSpan);
        var status = DaemonClient.Post(_options, frame.WrittenSpan, TimeSpan.FromSeconds(5));
        if (status == DaemonRequestStatus.TimedOut)
        {
            MarkUnresponsive();
        }

        return status == DaemonRequestStatus.Ok;
    }

    /// <summary>The marker beside the daemon's socket (or in the cache directory in TCP mode).</summary>
    private string MarkerPath => (_options.ServerPort is null ? _options.ServerSocketPath : Path.Combine(_options.CacheDirectory, "daemon")) + ".unresponsive";

    private bool RecentlyUnresponsive()
    {
        try
        {
            var written = File.GetLastWriteTimeUtc(MarkerPath);
            return written.Year > 1601 && DateTime.UtcNow - written < UnresponsiveBackoff;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void MarkUnresponsive()
    {
        try
        {
            var path = MarkerPath;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, []);
            Log.Warn("the daemon did not answer a remote-tier request: skipping remote tiers for " + UnresponsiveBackoff.TotalSeconds + " s");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Debug("could not write " + MarkerPath + ": " + e.Message);
        }
    }
}
