namespace SharpCache.Storage.Tests.Disk;

internal static class Keys
{
    /// <summary>A 64-hex-digit key in shard <paramref name="shard"/> (its first digit).</summary>
    public static CacheKey InShard(char shard, int n) => new(shard + n.ToString("x63", System.Globalization.CultureInfo.InvariantCulture));

    public static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
