namespace SharpCache.Storage.Remote;

/// <summary>
/// sccache's remote object names: <c>&lt;prefix&gt;/&lt;k0&gt;/&lt;k1&gt;/&lt;k2&gt;/&lt;key&gt;</c>
/// (the first three hex digits as directories). The prefix has no leading or trailing slash;
/// an empty prefix gives <c>a/b/c/abc...</c>.
/// </summary>
public static class RemoteKeyLayout
{
    /// <summary>sccache's write probe object, written at daemon start to detect a read-only tier.</summary>
    public const string CheckObjectName = ".sccache_check";

    public static string NormalizePrefix(string? prefix) => (prefix ?? string.Empty).Trim().Trim('/');

    public static string ObjectPath(string normalizedPrefix, string key)
    {
        ArgumentNullException.ThrowIfNull(normalizedPrefix);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var sharded = key.Length >= 3 ? $"{key[0]}/{key[1]}/{key[2]}/{key}" : key;
        return normalizedPrefix.Length == 0 ? sharded : normalizedPrefix + "/" + sharded;
    }

    public static string CheckPath(string normalizedPrefix) =>
        normalizedPrefix.Length == 0 ? CheckObjectName : normalizedPrefix + "/" + CheckObjectName;
}
