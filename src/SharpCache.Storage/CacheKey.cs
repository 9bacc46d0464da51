namespace SharpCache.Storage;

/// <summary>A cache key: lowercase hex digest (64 characters for BLAKE3-256).</summary>
public readonly record struct CacheKey(string Hex)
{
    public override string ToString() => Hex;
}
