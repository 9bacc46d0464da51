namespace SharpCache.TestServers;

/// <summary>How to start a <see cref="MemcachedServer"/>.</summary>
public sealed record MemcachedServerOptions
{
    /// <summary><c>-I</c>: the largest item the server stores (memcached's default is <c>1m</c>).</summary>
    public string ItemSizeLimit { get; init; } = "1m";

    /// <summary><c>-m</c>: memory for items in MiB.</summary>
    public int MemoryMiB { get; init; } = 64;

    /// <summary>
    /// With <see cref="Password"/>: SASL PLAIN required (<c>-S</c>), the user in a sasldb made with
    /// <c>saslpasswd2</c>. Memcached then speaks only the binary protocol, so the text helpers of
    /// <see cref="MemcachedServer"/> do not work.
    /// </summary>
    public string? Username { get; init; }

    public string? Password { get; init; }
}
