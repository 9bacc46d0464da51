using System.Collections.Concurrent;

namespace SharpCache.Dist.Server;

/// <summary>Job ids this server has run, kept until their token expires, so a job token runs one job once.</summary>
internal sealed class UsedJobIds(TimeProvider time)
{
    private readonly ConcurrentDictionary<ulong, long> _expiresAt = new();

    public bool TryClaim(ulong jobId, long expiresAtUnixMs)
    {
        if (_expiresAt.Count > 4096)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (id, expires) in _expiresAt)
            {
                if (expires < now)
                {
                    _expiresAt.TryRemove(id, out _);
                }
            }
        }

        return _expiresAt.TryAdd(jobId, expiresAtUnixMs);
    }
}
