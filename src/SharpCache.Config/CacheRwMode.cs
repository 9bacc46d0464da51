namespace SharpCache.Config;

/// <summary>A cache level's <c>rw_mode</c>: <c>READ_WRITE</c> (default) or <c>READ_ONLY</c> (never written).</summary>
public enum CacheRwMode
{
    ReadWrite,
    ReadOnly,
}
