namespace SharpCache.Storage.Remote.MultiLevel;

public sealed partial class MultiLevelStorage
{
    /// <summary>
    /// Probes the levels in order; the first valid hit wins and is back-filled (background) into
    /// every faster read-write level. All levels failing is an error; otherwise a miss.
    /// </summary>
    public async Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var allFailed = true;
        string? lastError = null;
        for (var i = 0; i < _levels.Length; i++)
        {
            var start = _time.GetTimestamp();
            var result = await SafeGetAsync(_levels[i], key, cancellationToken).ConfigureAwait(false);
            switch (result)
            {
                case RemoteReadResult.Hit hit when _options.Validator is { } validator && !validator(hit.Data):
                    _counters[i].Rejected();
                    lastError = $"{_levels[i].Name}: the value failed validation";
                    break;
                case RemoteReadResult.Hit hit:
                    _counters[i].Hit(_time.GetElapsedTime(start));
                    Backfill(i, key, hit.Data);
                    return hit;
                case RemoteReadResult.Miss:
                    _counters[i].Miss();
                    allFailed = false;
                    break;
                case RemoteReadResult.Error error:
                    _counters[i].Error();
                    lastError = error.Reason;
                    break;
                default:
                    break;
            }
        }

        return allFailed
            ? new RemoteReadResult.Error($"every level failed (last: {lastError})") { Kind = RemoteFailureKind.Other }
            : RemoteReadResult.Miss.Instance;
    }

    private void Backfill(int source, string key, byte[] data)
    {
        for (var target = 0; target < source; target++)
        {
            if (_levels[target].IsReadOnly)
            {
                continue;
            }

            var level = target;
            _background.TryStart(async ct =>
            {
                var written = await SafePutAsync(_levels[level], key, data, ct).ConfigureAwait(false);
                if (written is RemoteWriteResult.Written)
                {
                    _counters[level].BackfilledTo();
                    _counters[source].BackfilledFrom();
                }
                else
                {
                    _counters[level].WriteError();
                }
            });
        }
    }

    private static async Task<RemoteReadResult> SafeGetAsync(IRemoteStorage level, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await level.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A level that throws is a failed read, never a failed chain.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new RemoteReadResult.Error($"{level.Name}: {e.GetType().Name}: {e.Message}");
        }
    }
}
