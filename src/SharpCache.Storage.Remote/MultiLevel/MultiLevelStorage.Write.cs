namespace SharpCache.Storage.Remote.MultiLevel;

public sealed partial class MultiLevelStorage
{
    /// <summary>
    /// Writes to the read-write levels as <see cref="MultiLevelOptions.WriteErrorPolicy"/> says.
    /// <see cref="RemoteWriteResult.ReadOnly"/> when every level is read-only. With <c>l0</c> and
    /// a read-only level 0, every write is deferred and the put succeeds.
    /// </summary>
    public async Task<RemoteWriteResult> PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (IsReadOnly)
        {
            return RemoteWriteResult.ReadOnly.Instance;
        }

        switch (_options.WriteErrorPolicy)
        {
            case WriteErrorPolicy.Ignore:
                DeferWrites(0, key, data);
                return RemoteWriteResult.Written.Instance;
            case WriteErrorPolicy.L0:
                if (_levels[0].IsReadOnly)
                {
                    DeferWrites(1, key, data);
                    return RemoteWriteResult.Written.Instance;
                }

                var first = await WriteLevelAsync(0, key, data, cancellationToken).ConfigureAwait(false);
                DeferWrites(1, key, data);
                return first is null ? RemoteWriteResult.Written.Instance : new RemoteWriteResult.Error(first);
            default:
                var writes = Enumerable.Range(0, _levels.Length)
                    .Where(i => !_levels[i].IsReadOnly)
                    .Select(i => WriteLevelAsync(i, key, data, cancellationToken));
                var failures = (await Task.WhenAll(writes).ConfigureAwait(false)).OfType<string>().ToList();
                return failures.Count == 0 ? RemoteWriteResult.Written.Instance : new RemoteWriteResult.Error(string.Join("; ", failures));
        }
    }

    /// <summary>Writes levels <paramref name="from"/>.. in the background, with a private copy of the value (the caller's buffer may be reused).</summary>
    private void DeferWrites(int from, string key, ReadOnlyMemory<byte> data)
    {
        byte[]? copy = null;
        for (var i = from; i < _levels.Length; i++)
        {
            if (_levels[i].IsReadOnly)
            {
                continue;
            }

            copy ??= data.ToArray();
            var level = i;
            var value = copy;
            _background.TryStart(ct => WriteLevelAsync(level, key, value, ct));
        }
    }

    /// <summary>Writes one level and counts it; null on success, else the reason.</summary>
    private async Task<string?> WriteLevelAsync(int level, string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var result = await SafePutAsync(_levels[level], key, data, cancellationToken).ConfigureAwait(false);
        if (result is RemoteWriteResult.Written)
        {
            _counters[level].Written(_time.GetElapsedTime(start));
            return null;
        }

        _counters[level].WriteError();
        return result switch
        {
            RemoteWriteResult.Error e => e.Reason,
            RemoteWriteResult.TooLarge => $"{_levels[level].Name}: the value is too large",
            _ => $"{_levels[level].Name}: the server refused the write (read-only)",
        };
    }

    private static async Task<RemoteWriteResult> SafePutAsync(IRemoteStorage level, string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            return await level.PutAsync(key, data, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A level that throws is a failed write, never a failed chain.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new RemoteWriteResult.Error($"{level.Name}: {e.GetType().Name}: {e.Message}");
        }
    }
}
