namespace SharpCache.Config.Parsing;

/// <summary>
/// Picks the storage from the merged sections: the multi-level chain when one is given, else the first
/// remote section in sccache's order (s3, redis, memcached, gcs, gha, azure, webdav, oss, cos), else the disk.
/// A level that is unsupported or inconsistent is reported and left out; with nothing left, the disk is used.
/// </summary>
internal static class StorageResolver
{
    private static readonly CacheBackendKind[] Precedence =
    [
        CacheBackendKind.S3, CacheBackendKind.Redis, CacheBackendKind.Memcached, CacheBackendKind.Gcs, CacheBackendKind.Gha,
        CacheBackendKind.Azure, CacheBackendKind.WebDav, CacheBackendKind.Oss, CacheBackendKind.Cos,
    ];

    public static ResolvedStorage Resolve(CacheConfigs cache, ConfigDefaults defaults, ErrorSink errors, Func<string, string> origin)
    {
        var disk = cache.Disk ?? new DiskCacheConfig { Dir = defaults.CacheDirectory };
        var levels = new List<CacheBackendConfig>();
        var chain = cache.MultiLevel?.Chain.Where(n => n.Length > 0).ToList();
        if (chain is { Count: > 0 })
        {
            const string where = "cache.multilevel.chain";
            void ChainError(string message) => errors.Errors.Add(new ConfigError(origin("multilevel"), where, message));
            var seen = new HashSet<CacheBackendKind>();
            foreach (var name in chain)
            {
                if (!BackendNames.TryParse(name, out var kind))
                {
                    ChainError($"unknown cache level '{name}'; expected disk, s3, redis, memcached, gcs, gha, azure, webdav, oss or cos");
                    continue;
                }

                if (!seen.Add(kind))
                {
                    ChainError($"level '{name}' appears more than once");
                    continue;
                }

                // sccache demands an explicit [cache.disk]/SCCACHE_DIR for a disk level; SharpCache takes the defaults.
                var level = kind == CacheBackendKind.Disk ? disk : cache.Remote(kind);
                if (level is null)
                {
                    ChainError($"level '{name}' is not configured; add a [cache.{BackendNames.Of(kind)}] section or its SCCACHE_* variables");
                    continue;
                }

                if (Check(level, errors, origin))
                {
                    levels.Add(level);
                }
            }
        }
        else
        {
            foreach (var kind in Precedence)
            {
                if (cache.Remote(kind) is { } remote)
                {
                    if (Check(remote, errors, origin))
                    {
                        levels.Add(remote);
                    }

                    break;
                }
            }
        }

        if (levels.Count == 0)
        {
            levels.Add(disk);
        }

        return new ResolvedStorage
        {
            Levels = levels,
            Disk = disk,
            IsMultiLevel = chain is { Count: > 0 },
            WriteErrorPolicy = cache.MultiLevel?.WriteErrorPolicy ?? WriteErrorPolicy.L0,
        };
    }

    /// <summary>The checks sccache makes when it builds a backend; false = leave the level out.</summary>
    private static bool Check(CacheBackendConfig level, ErrorSink errors, Func<string, string> origin)
    {
        var section = "cache." + level.Name;
        void Fail(string message) => errors.Errors.Add(new ConfigError(origin(level.Name), section, message));

        if (!level.IsSupported)
        {
            Fail($"{(level.Kind == CacheBackendKind.Oss ? "Alibaba OSS" : "Tencent COS")} is not supported by SharpCache; use s3, redis, memcached, gcs, azure, webdav or gha");
            return false;
        }

        switch (level)
        {
            case RedisCacheConfig redis:
                var count = (redis.Endpoint is null ? 0 : 1) + (redis.ClusterEndpoints is null ? 0 : 1) + (redis.Url is null ? 0 : 1);
                if (count != 1)
                {
                    Fail("give exactly one of endpoint, cluster_endpoints and url (SCCACHE_REDIS_ENDPOINT, SCCACHE_REDIS_CLUSTER_ENDPOINTS, SCCACHE_REDIS)");
                    return false;
                }

                if (redis.Url is not null && (redis.Username is not null || redis.Password is not null || redis.Db != 0))
                {
                    Fail("username, password and db have no effect with url; put them in the URL or use endpoint");
                    return false;
                }

                return true;
            case MemcachedCacheConfig { Expiration: > MemcachedCacheConfig.MaxExpiration }:
                Fail($"expiration must be at most {MemcachedCacheConfig.MaxExpiration} seconds (30 days)");
                return false;
            case AzureCacheConfig { ConnectionString: null, StorageAccount: null, Endpoint: null }:
                Fail("no auth source: give connection_string, or storage_account or endpoint (Entra ID)");
                return false;
            default:
                return true;
        }
    }
}
