using SharpCache.Protocol;

namespace SharpCache.Daemon;

/// <summary>
/// The daemon's remote tiers (Redis, S3, ... in chain order), behind warm connections. The
/// NativeAOT binary's own daemon has none; <c>sharpcache-daemon</c> plugs the real chain in.
/// Implementations never throw: every failure is a counted error result.
/// </summary>
internal interface IRemoteTiers : IAsyncDisposable
{
    /// <summary>First hit in chain order (back-filling faster tiers in the background), else a miss or an error.</summary>
    Task<RemoteLookup> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Queues a write to every read-write tier (per the write-error policy); returns at once.</summary>
    void EnqueuePut(string key, byte[] data);

    /// <summary>Per-tier counters, chain order.</summary>
    IReadOnlyList<CacheLevelInfo> Snapshot();

    void ResetStats();

    /// <summary>Waits (bounded) for queued writes and back-fills: the daemon calls it before it exits.</summary>
    Task FlushAsync(TimeSpan timeout);
}

/// <summary>
/// Answer of <see cref="IRemoteTiers.GetAsync"/>. <paramref name="Bundle"/>: objects fetched along with a
/// hit (the entries a manifest points to), so the client needs no second round trip.
/// </summary>
internal readonly record struct RemoteLookup(RemoteGetStatus Status, byte[]? Data, string? Reason, IReadOnlyList<KeyValuePair<string, byte[]>>? Bundle = null)
{
    public static RemoteLookup Miss { get; } = new(RemoteGetStatus.Miss, null, null);
}
