namespace SharpCache.Config.Parsing;

/// <summary>
/// Binds a parsed client config document to <see cref="FileConfig"/> with sccache's rules: every table rejects
/// unknown keys, required keys are reported when missing, sizes accept <c>"20G"</c>, and
/// <c>[cache.disk.preprocessor_cache_mode]</c> has its own defaults.
/// </summary>
internal static partial class FileConfigReader
{
    public static FileConfig Read(ConfigTable root, ErrorSink errors, ConfigDefaults defaults)
    {
        var top = new TableReader(root, string.Empty, errors);
        var cache = top.Table("cache");
        var dist = top.Table("dist");
        var config = new FileConfig
        {
            Cache = cache is null ? new CacheConfigs() : ReadCache(cache, defaults),
            Dist = dist is null ? null : Section(dist, d => ReadDist(d, defaults)),
            ServerStartupTimeoutMs = top.UInt("server_startup_timeout_ms"),
            Basedirs = top.StringList("basedirs") ?? [],
            ClientSideMode = top.Bool("client_side_mode") ?? false,
        };
        top.RejectUnknown();
        return config;
    }

    private static CacheConfigs ReadCache(TableReader cache, ConfigDefaults defaults)
    {
        var result = new CacheConfigs
        {
            Disk = Section(cache, "disk", t => ReadDisk(t, defaults)),
            S3 = Section(cache, "s3", ReadS3),
            Redis = Section(cache, "redis", ReadRedis),
            Memcached = Section(cache, "memcached", ReadMemcached),
            Gcs = Section(cache, "gcs", ReadGcs),
            Gha = Section(cache, "gha", ReadGha),
            Azure = Section(cache, "azure", ReadAzure),
            WebDav = Section(cache, "webdav", ReadWebDav),
            Oss = Section(cache, "oss", ReadOss),
            Cos = Section(cache, "cos", ReadCos),
            MultiLevel = Section(cache, "multilevel", ReadMultiLevel),
        };
        cache.RejectUnknown();
        return result;
    }

    private static T? Section<T>(TableReader parent, string key, Func<TableReader, T?> read)
        where T : class
    {
        var table = parent.Table(key);
        return table is null ? null : Section(table, read);
    }

    /// <summary>Reads a table, then reports the keys the reader did not ask for.</summary>
    private static T? Section<T>(TableReader table, Func<TableReader, T?> read)
        where T : class
    {
        var value = read(table);
        table.RejectUnknown();
        return value;
    }

    private static DiskCacheConfig ReadDisk(TableReader t, ConfigDefaults defaults)
    {
        var dir = t.FullPath("dir", defaults.Home);
        var mode = Section(t, "preprocessor_cache_mode", ReadPreprocessorCacheMode);
        return new DiskCacheConfig
        {
            Dir = dir ?? defaults.CacheDirectory,
            Size = t.Size("size") ?? SizeValue.TenGiB,
            RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
            PreprocessorCacheMode = mode ?? PreprocessorCacheModeConfig.Activated,
        };
    }

    private static PreprocessorCacheModeConfig ReadPreprocessorCacheMode(TableReader t)
    {
        var d = PreprocessorCacheModeConfig.Default;
        return new PreprocessorCacheModeConfig
        {
            UsePreprocessorCacheMode = t.Bool("use_preprocessor_cache_mode") ?? d.UsePreprocessorCacheMode,
            FileStatMatches = t.Bool("file_stat_matches") ?? d.FileStatMatches,
            UseCtimeForStat = t.Bool("use_ctime_for_stat") ?? d.UseCtimeForStat,
            IgnoreTimeMacros = t.Bool("ignore_time_macros") ?? d.IgnoreTimeMacros,
            SkipSystemHeaders = t.Bool("skip_system_headers") ?? d.SkipSystemHeaders,
            HashWorkingDirectory = t.Bool("hash_working_directory") ?? d.HashWorkingDirectory,
        };
    }

    private static S3CacheConfig? ReadS3(TableReader t)
    {
        var bucket = t.String("bucket", required: true);
        var noCredentials = t.Bool("no_credentials", required: true);
        var config = new S3CacheConfig
        {
            Bucket = bucket ?? string.Empty,
            Region = t.String("region"),
            KeyPrefix = t.String("key_prefix") ?? string.Empty,
            NoCredentials = noCredentials ?? false,
            Endpoint = t.String("endpoint"),
            UseSsl = t.Bool("use_ssl"),
            ServerSideEncryption = t.Bool("server_side_encryption"),
            ServerSideEncryptionAwsKms = t.Bool("server_side_encryption_aws_kms"),
            ServerSideEncryptionKmsKeyId = t.String("server_side_encryption_kms_key_id"),
            EnableVirtualHostStyle = t.Bool("enable_virtual_host_style"),
            RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
        };
        return bucket is null || noCredentials is null ? null : config;
    }

    private static RedisCacheConfig ReadRedis(TableReader t) => new()
    {
        Endpoint = t.String("endpoint"),
        ClusterEndpoints = t.String("cluster_endpoints"),
        Url = t.String("url"),
        Username = t.String("username"),
        Password = t.String("password"),
        Db = (uint)(t.UInt("db", uint.MaxValue) ?? 0),
        Ttl = Alias(t, "ttl", "expiration", (r, k) => r.UInt(k)) ?? 0,
        KeyPrefix = t.String("key_prefix") ?? string.Empty,
        RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
    };

    private static MemcachedCacheConfig? ReadMemcached(TableReader t)
    {
        var url = Alias(t, "url", "endpoint", (r, k) => r.String(k));
        if (url is null && !t.Has("url") && !t.Has("endpoint"))
        {
            t.Missing("url");
        }

        var config = new MemcachedCacheConfig
        {
            Url = url ?? string.Empty,
            Username = t.String("username"),
            Password = t.String("password"),
            Expiration = (uint)(t.UInt("expiration", uint.MaxValue) ?? MemcachedCacheConfig.DefaultExpiration),
            KeyPrefix = t.String("key_prefix") ?? string.Empty,
            RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
        };
        return url is null ? null : config;
    }

    private static GcsCacheConfig? ReadGcs(TableReader t)
    {
        var bucket = t.String("bucket", required: true);
        var prefix = t.String("key_prefix", required: true);
        var mode = t.RwMode("rw_mode", required: true);
        var config = new GcsCacheConfig
        {
            Bucket = bucket ?? string.Empty,
            KeyPrefix = prefix ?? string.Empty,
            RwMode = mode ?? CacheRwMode.ReadOnly,
            CredPath = t.String("cred_path"),
            ServiceAccount = t.String("service_account"),
            CredentialUrl = t.String("credential_url"),
        };
        return bucket is null || prefix is null || mode is null ? null : config;
    }

    private static GhaCacheConfig? ReadGha(TableReader t)
    {
        var enabled = t.Bool("enabled", required: true);
        var version = t.String("version", required: true);
        var config = new GhaCacheConfig
        {
            Enabled = enabled ?? false,
            Version = version ?? string.Empty,
            RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
        };

        // Unlike sccache (which selects [cache.gha] whatever `enabled` says), `enabled = false` means off.
        return enabled is true && version is not null ? config : null;
    }

    private static AzureCacheConfig? ReadAzure(TableReader t)
    {
        var container = t.String("container", required: true);
        var prefix = t.String("key_prefix", required: true);
        var config = new AzureCacheConfig
        {
            ConnectionString = t.String("connection_string"),
            Container = container ?? string.Empty,
            KeyPrefix = prefix ?? string.Empty,
            StorageAccount = t.String("storage_account"),
            Endpoint = t.String("endpoint"),
            RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
        };
        return container is null || prefix is null ? null : config;
    }

    private static WebDavCacheConfig? ReadWebDav(TableReader t)
    {
        var endpoint = t.String("endpoint", required: true);
        var config = new WebDavCacheConfig
        {
            Endpoint = endpoint ?? string.Empty,
            KeyPrefix = t.String("key_prefix") ?? string.Empty,
            Username = t.String("username"),
            Password = t.String("password"),
            Token = t.String("token"),
            RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
        };
        return endpoint is null ? null : config;
    }

    private static OssCacheConfig? ReadOss(TableReader t)
    {
        var bucket = t.String("bucket", required: true);
        var noCredentials = t.Bool("no_credentials", required: true);
        var config = new OssCacheConfig
        {
            Bucket = bucket ?? string.Empty,
            KeyPrefix = t.String("key_prefix") ?? string.Empty,
            Endpoint = t.String("endpoint"),
            NoCredentials = noCredentials ?? false,
            RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
        };
        return bucket is null || noCredentials is null ? null : config;
    }

    private static CosCacheConfig? ReadCos(TableReader t)
    {
        var bucket = t.String("bucket", required: true);
        var config = new CosCacheConfig
        {
            Bucket = bucket ?? string.Empty,
            KeyPrefix = t.String("key_prefix") ?? string.Empty,
            Endpoint = t.String("endpoint"),
            RwMode = t.RwMode("rw_mode") ?? CacheRwMode.ReadWrite,
        };
        return bucket is null ? null : config;
    }

    private static MultiLevelConfig? ReadMultiLevel(TableReader t)
    {
        var chain = t.StringList("chain");
        if (chain is null && !t.Has("chain"))
        {
            t.Missing("chain");
        }

        var policyText = t.String("write_error_policy");
        var policy = WriteErrorPolicy.L0;
        if (policyText is not null && !WriteErrorPolicies.TryParse(policyText, out policy))
        {
            t.Error("write_error_policy", $"unknown value '{policyText}'; expected ignore, l0 or all");
        }

        return chain is null ? null : new MultiLevelConfig { Chain = chain, WriteErrorPolicy = policy };
    }

    /// <summary>A key with a serde alias: either name may be used, not both.</summary>
    private static T? Alias<T>(TableReader t, string key, string alias, Func<TableReader, string, T?> read)
    {
        var hasKey = t.Has(key);
        var hasAlias = t.Has(alias);
        if (hasKey && hasAlias)
        {
            t.Error(alias, $"'{alias}' is another name for '{key}'; give only one of them");
        }

        return hasAlias && !hasKey ? read(t, alias) : read(t, key);
    }
}
