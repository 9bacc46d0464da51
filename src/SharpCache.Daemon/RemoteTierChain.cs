using SharpCache.Core.Formats;
using SharpCache.Daemon;
using SharpCache.Logging;
using SharpCache.Protocol;
using SharpCache.Storage.Remote;
using SharpCache.Storage.Remote.MultiLevel;

namespace SharpCache.DaemonProcess;

/// <summary>
/// The daemon's remote tiers: a <see cref="MultiLevelStorage"/> of resilient tiers behind the
/// daemon protocol. Puts are queued (bounded; a full queue drops and counts the write) so a
/// client never waits on a remote write; zeroing the stats keeps a baseline to subtract.
/// </summary>
internal sealed class RemoteTierChain : IRemoteTiers
{
    private const int MaxQueuedPuts = 512;

    private readonly MultiLevelStorage _chain;
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _puts = [];
    private IReadOnlyList<LevelStatsSnapshot>? _baseline;
    private long _droppedPuts;

    public RemoteTierChain(MultiLevelStorage chain)
    {
        _chain = chain;

        // sccache's start-up check, in the background: it opens each tier's connection (so the
        // first lookup does not pay for it) and logs a tier that is down, refuses us or is read-only.
        _ = Task.Run(CheckAsync);
    }

    /// <summary>Writes refused because too many were queued.</summary>
    public long DroppedPuts => Interlocked.Read(ref _droppedPuts);

    /// <summary>How many of a manifest's entries (newest first) travel with it.</summary>
    private const int ManifestPrefetch = 2;

    public async Task<RemoteLookup> GetAsync(string key, CancellationToken cancellationToken)
    {
        var result = await _chain.GetAsync(key, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case RemoteReadResult.Hit hit:
                // A manifest hit is followed by the client asking for the entry it names: fetch the
                // newest entries now, concurrently, and send them along (one round trip instead of two).
                var keys = StoredBlob.ManifestResultKeys(hit.Data, ManifestPrefetch);
                if (keys.Count == 0)
                {
                    return new RemoteLookup(RemoteGetStatus.Hit, hit.Data, null);
                }

                var fetched = await Task.WhenAll(keys.Select(k => _chain.GetAsync(k, cancellationToken))).ConfigureAwait(false);
                var bundle = new List<KeyValuePair<string, byte[]>>(keys.Count);
                for (var i = 0; i < keys.Count; i++)
                {
                    if (fetched[i] is RemoteReadResult.Hit entry)
                    {
                        bundle.Add(new KeyValuePair<string, byte[]>(keys[i], entry.Data));
                    }
                }

                return new RemoteLookup(RemoteGetStatus.Hit, hit.Data, null, bundle);
            case RemoteReadResult.Error error:
                return new RemoteLookup(RemoteGetStatus.Error, null, error.Reason);
            default:
                return RemoteLookup.Miss;
        }
    }

    public void EnqueuePut(string key, byte[] data)
    {
        lock (_gate)
        {
            if (_puts.Count >= MaxQueuedPuts)
            {
                Interlocked.Increment(ref _droppedPuts);
                return;
            }

            // Added under the lock before the continuation (also under the lock) can remove it.
            Task task = Task.Run(() => _chain.PutAsync(key, data, CancellationToken.None));
            _puts.Add(task);
            _ = task.ContinueWith(
                done =>
                {
                    lock (_gate)
                    {
                        _puts.Remove(done);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    public IReadOnlyList<CacheLevelInfo> Snapshot()
    {
        var levels = _chain.GetStats().Levels;
        IReadOnlyList<LevelStatsSnapshot>? baseline;
        lock (_gate)
        {
            baseline = _baseline;
        }

        var result = new List<CacheLevelInfo>(levels.Count);
        for (var i = 0; i < levels.Count; i++)
        {
            var l = levels[i];
            var b = baseline is not null && i < baseline.Count ? baseline[i] : null;
            result.Add(new CacheLevelInfo
            {
                Name = l.Name,
                Location = l.Location,
                ReadOnly = l.IsReadOnly,
                Hits = l.Hits - (b?.Hits ?? 0),
                Misses = l.Misses - (b?.Misses ?? 0),
                Errors = l.Errors + l.Rejected - (b is null ? 0 : b.Errors + b.Rejected),
                Timeouts = l.Timeouts - (b?.Timeouts ?? 0),
                ShortCircuits = l.ShortCircuits - (b?.ShortCircuits ?? 0),
                Writes = l.Writes - (b?.Writes ?? 0),
                WriteErrors = l.WriteErrors - (b?.WriteErrors ?? 0),
                BackfillsTo = l.BackfillsTo - (b?.BackfillsTo ?? 0),
                BackfillsFrom = l.BackfillsFrom - (b?.BackfillsFrom ?? 0),
                HitNanos = (long)((l.TotalHitLatencyMs - (b?.TotalHitLatencyMs ?? 0)) * 1e6),
                WriteNanos = (long)((l.TotalWriteLatencyMs - (b?.TotalWriteLatencyMs ?? 0)) * 1e6),
            });
        }

        return result;
    }

    public void ResetStats()
    {
        var now = _chain.GetStats().Levels;
        lock (_gate)
        {
            _baseline = now;
        }
    }

    public async Task FlushAsync(TimeSpan timeout)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _puts];
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Task.WhenAll(pending).WaitAsync(cts.Token).ConfigureAwait(false);
            await _chain.FlushAsync(timeout, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Bounded: whatever is still in flight is abandoned (the entry stays in the local cache).
        }
    }

    private async Task CheckAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var results = await _chain.CheckLevelsAsync(cts.Token).ConfigureAwait(false);
        for (var i = 0; i < results.Count; i++)
        {
            var level = _chain.Levels[i];
            var message = "cache level " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (" + level.Name + ", " + level.Location + "): "
                + results[i].Status + (results[i].Reason is { } reason ? " - " + reason : string.Empty);
            if (results[i].Status is RemoteCheckStatus.ReadWrite || (results[i].Status == RemoteCheckStatus.ReadOnly && level.IsReadOnly))
            {
                Log.Info(message);
            }
            else
            {
                Log.Warn(message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _chain.DisposeAsync().ConfigureAwait(false);
    }
}
