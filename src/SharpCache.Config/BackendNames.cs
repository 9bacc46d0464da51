namespace SharpCache.Config;

/// <summary>The lower-case names of <see cref="CacheBackendKind"/> used in config sections and chains.</summary>
public static class BackendNames
{
    public static string Of(CacheBackendKind kind) => kind switch
    {
        CacheBackendKind.Disk => "disk",
        CacheBackendKind.S3 => "s3",
        CacheBackendKind.Redis => "redis",
        CacheBackendKind.Memcached => "memcached",
        CacheBackendKind.Gcs => "gcs",
        CacheBackendKind.Gha => "gha",
        CacheBackendKind.Azure => "azure",
        CacheBackendKind.WebDav => "webdav",
        CacheBackendKind.Oss => "oss",
        _ => "cos",
    };

    /// <summary>Parses a chain level name (trimmed, any case).</summary>
    public static bool TryParse(string name, out CacheBackendKind kind)
    {
        foreach (var candidate in Enum.GetValues<CacheBackendKind>())
        {
            if (string.Equals(Of(candidate), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
