namespace SharpCache.TestServers;

/// <summary>How to start a <see cref="MemcachedServer"/>.</summary>
public sealed record MemcachedServerOptions
{
    /// <summary><c>-I</c>: the largest item the server stores (memcached's default is <c>1m</c>).</summary>
    public string ItemSizeLimit { get; init; } = "1m";

    /// <summary><c>-m</c>: memory for items in MiB.</summary>
    public int MemoryMiB { get; init; } = 64;
}
