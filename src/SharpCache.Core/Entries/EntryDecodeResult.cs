namespace SharpCache.Core.Entries;

/// <summary>Outcome of decoding stored bytes.</summary>
public abstract record EntryDecodeResult
{
    private EntryDecodeResult()
    {
    }

    public sealed record Ok(CacheEntry Entry) : EntryDecodeResult;

    /// <summary>Bad magic, unknown version, truncated, checksum mismatch, bad zstd: a miss, and the entry is removed.</summary>
    public sealed record Corrupt(string Reason) : EntryDecodeResult;
}
