namespace SharpCache.Storage.Disk;

/// <summary>
/// Where things live under the cache root: <c>&lt;root&gt;/&lt;k0&gt;/&lt;k1k2&gt;/&lt;key&gt;</c>, with the
/// shard's counters in <c>&lt;root&gt;/&lt;k0&gt;/stats</c>. See README.md.
/// </summary>
internal static class DiskLayout
{
    public const int ShardCount = 16;

    public const string StatsFileName = "stats";

    public const string TempSuffix = ".tmp";

    public const int MaxKeyLength = 256;

    private const string HexDigits = "0123456789abcdef";

    public static string ShardName(int shard) => HexDigits[shard].ToString();

    public static int ShardIndex(string key) => HexDigits.IndexOf(key[0], StringComparison.Ordinal);

    public static string ShardDirectory(string root, int shard) => Path.Join(root, ShardName(shard));

    public static string EntryDirectory(string root, string key) => Path.Join(root, key.AsSpan(0, 1), key.AsSpan(1, 2));

    public static string EntryPath(string root, string key) => Path.Join(EntryDirectory(root, key), key);

    /// <summary>Subdirectory names are exactly two lowercase hex digits; anything else in a shard is not ours.</summary>
    public static bool IsEntryDirectoryName(ReadOnlySpan<char> name) =>
        name.Length == 2 && HexDigits.Contains(name[0]) && HexDigits.Contains(name[1]);

    public static void Validate(CacheKey key)
    {
        var hex = key.Hex;
        if (hex is null || hex.Length < 3 || hex.Length > MaxKeyLength || hex.AsSpan().ContainsAnyExcept(HexDigits))
        {
            throw new ArgumentException($"Cache key '{hex}' is not 3-{MaxKeyLength} lowercase hex digits.", nameof(key));
        }
    }
}
