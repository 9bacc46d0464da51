using SharpCache.Storage.Remote.Resilience;

namespace SharpCache.Storage.Remote.MultiLevel;

/// <summary>
/// sccache's multi-level cache over remote tiers, fastest first (the local disk level is read
/// by the client itself and composed in front by the daemon). Reads: the first hit wins and is
/// back-filled into every faster read-write level in the background. Writes follow
/// <see cref="MultiLevelOptions.WriteErrorPolicy"/>; read-only levels are skipped. Per-level
/// counters: <see cref="GetStats"/>. Never throws for a tier's failure. Owns its levels: disposing
/// the chain waits briefly for background writes, then disposes them.
/// </summary>
public sealed partial class MultiLevelStorage : IRemoteStorage
{
    private static readonly TimeSpan DisposeFlushTimeout = TimeSpan.FromSeconds(5);

    private readonly IRemoteStorage[] _levels;
    private readonly LevelCounters[] _counters;
    private readonly MultiLevelOptions _options;
    private readonly BackgroundWrites _background;
    private readonly TimeProvider _time;

    public MultiLevelStorage(IReadOnlyList<IRemoteStorage> levels, MultiLevelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0)
        {
            throw new ArgumentException("a multi-level chain needs at least one level", nameof(levels));
        }

        _levels = [.. levels];
        _counters = [.. _levels.Select(_ => new LevelCounters())];
        _options = options ?? new MultiLevelOptions();
        _time = _options.TimeProvider;
        _background = new BackgroundWrites(_options.MaxPendingBackgroundWrites, _options.BackgroundWriteTimeout, _time);
    }

    public string Name => "multilevel";

    public string Location => string.Join(" -> ", _levels.Select(l => $"{l.Name} ({l.Location})"));

    /// <summary>True only when every level is read-only (then puts write nothing).</summary>
    public bool IsReadOnly => _levels.All(l => l.IsReadOnly);

    public IReadOnlyList<IRemoteStorage> Levels => _levels;

    public MultiLevelStatsSnapshot GetStats()
    {
        var levels = new LevelStatsSnapshot[_levels.Length];
        for (var i = 0; i < _levels.Length; i++)
        {
            var resilience = (_levels[i] as ResilientRemoteStorage)?.GetStats();
            levels[i] = _counters[i].Snapshot(i, _levels[i], resilience?.Timeouts ?? 0, resilience?.ShortCircuits ?? 0);
        }

        return new MultiLevelStatsSnapshot(levels, _background.Pending, _background.Dropped);
    }

    /// <summary>Waits for back-fills and deferred puts (daemon shutdown); true when all finished within <paramref name="timeout"/>.</summary>
    public Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _background.FlushAsync(timeout, cancellationToken);

    /// <summary>Checks every level (concurrently), in chain order.</summary>
    public async Task<IReadOnlyList<RemoteCheckResult>> CheckLevelsAsync(CancellationToken cancellationToken)
    {
        var checks = _levels.Select(l => SafeCheckAsync(l, cancellationToken));
        return await Task.WhenAll(checks).ConfigureAwait(false);
    }

    /// <summary>
    /// Read-only when any level is read-only (as sccache); otherwise the first level's failure
    /// (named), otherwise read-write.
    /// </summary>
    public async Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var results = await CheckLevelsAsync(cancellationToken).ConfigureAwait(false);
        var readOnly = results.Select((r, i) => (r, i)).FirstOrDefault(x => x.r.Status == RemoteCheckStatus.ReadOnly || _levels[x.i].IsReadOnly);
        if (readOnly.r is not null)
        {
            return new RemoteCheckResult(RemoteCheckStatus.ReadOnly, $"level {readOnly.i} ({_levels[readOnly.i].Name}) is read-only");
        }

        var failed = results.Select((r, i) => (r, i)).FirstOrDefault(x => x.r.Status is RemoteCheckStatus.Unreachable or RemoteCheckStatus.Unauthorized);
        return failed.r is not null
            ? failed.r with { Reason = $"level {failed.i} ({_levels[failed.i].Name}): {failed.r.Reason}" }
            : new RemoteCheckResult(RemoteCheckStatus.ReadWrite);
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync(DisposeFlushTimeout).ConfigureAwait(false);
        foreach (var level in _levels)
        {
            await level.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<RemoteCheckResult> SafeCheckAsync(IRemoteStorage level, CancellationToken cancellationToken)
    {
        try
        {
            return await level.CheckAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A level that throws is a failed level, never a failed chain.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new RemoteCheckResult(RemoteCheckStatus.Unreachable, $"{level.Name}: {e.GetType().Name}: {e.Message}");
        }
    }
}
