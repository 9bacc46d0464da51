namespace SharpCache.Config.Parsing;

/// <summary>The remote backends' variables.</summary>
internal static partial class EnvConfigReader
{
    private static S3CacheConfig? ReadS3(EnvReader e)
    {
        if (e.String("SCCACHE_BUCKET") is not { } bucket)
        {
            return null;
        }

        var config = new S3CacheConfig
        {
            Bucket = bucket,
            Region = e.String("SCCACHE_REGION"),
            NoCredentials = e.Bool("SCCACHE_S3_NO_CREDENTIALS") ?? false,
            UseSsl = e.Bool("SCCACHE_S3_USE_SSL"),
            ServerSideEncryption = e.Bool("SCCACHE_S3_SERVER_SIDE_ENCRYPTION"),
            ServerSideEncryptionAwsKms = e.Bool("SCCACHE_S3_SERVER_SIDE_ENCRYPTION_AWS_KMS"),
            ServerSideEncryptionKmsKeyId = e.String("SCCACHE_S3_SERVER_SIDE_ENCRYPTION_KMS_KEY_ID"),
            Endpoint = e.String("SCCACHE_ENDPOINT"),
            KeyPrefix = e.KeyPrefix("SCCACHE_S3_KEY_PREFIX"),
            EnableVirtualHostStyle = e.Bool("SCCACHE_S3_ENABLE_VIRTUAL_HOST_STYLE"),
            RwMode = e.RwMode("SCCACHE_S3_RW_MODE") ?? CacheRwMode.ReadWrite,
        };
        if (config.NoCredentials && (e.IsSet("AWS_ACCESS_KEY_ID") || e.IsSet("AWS_SECRET_ACCESS_KEY")))
        {
            e.Errors.Add("SCCACHE_S3_NO_CREDENTIALS", "must not be set together with AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY");
        }

        return config;
    }

    private static RedisCacheConfig? ReadRedis(EnvReader e)
    {
        if (e.IsSet("SCCACHE_REDIS_EXPIRATION") && e.IsSet("SCCACHE_REDIS_TTL"))
        {
            e.Errors.Add("SCCACHE_REDIS_TTL", "set both SCCACHE_REDIS_EXPIRATION and SCCACHE_REDIS_TTL; use only SCCACHE_REDIS_EXPIRATION");
        }

        var url = e.String("SCCACHE_REDIS");
        var endpoint = e.String("SCCACHE_REDIS_ENDPOINT");
        var cluster = e.String("SCCACHE_REDIS_CLUSTER_ENDPOINTS");
        if (url is null && endpoint is null && cluster is null)
        {
            return null;
        }

        if (url is not null)
        {
            e.Errors.Warn("SCCACHE_REDIS", "deprecated; use SCCACHE_REDIS_ENDPOINT");
        }

        return new RedisCacheConfig
        {
            Url = url,
            Endpoint = endpoint,
            ClusterEndpoints = cluster,
            Db = (uint)(e.UInt("SCCACHE_REDIS_DB", uint.MaxValue) ?? 0),
            Username = e.String("SCCACHE_REDIS_USERNAME"),
            Password = e.String("SCCACHE_REDIS_PASSWORD"),
            Ttl = e.UInt("SCCACHE_REDIS_EXPIRATION") ?? e.UInt("SCCACHE_REDIS_TTL") ?? 0,
            KeyPrefix = e.KeyPrefix("SCCACHE_REDIS_KEY_PREFIX"),
            RwMode = e.RwMode("SCCACHE_REDIS_RW_MODE") ?? CacheRwMode.ReadWrite,
        };
    }

    private static MemcachedCacheConfig? ReadMemcached(EnvReader e)
    {
        if (e.IsSet("SCCACHE_MEMCACHED") && e.IsSet("SCCACHE_MEMCACHED_ENDPOINT"))
        {
            e.Errors.Add("SCCACHE_MEMCACHED", "set both SCCACHE_MEMCACHED and SCCACHE_MEMCACHED_ENDPOINT; use only SCCACHE_MEMCACHED_ENDPOINT");
        }

        if ((e.String("SCCACHE_MEMCACHED") ?? e.String("SCCACHE_MEMCACHED_ENDPOINT")) is not { } url)
        {
            return null;
        }

        return new MemcachedCacheConfig
        {
            Url = url,
            Username = e.String("SCCACHE_MEMCACHED_USERNAME"),
            Password = e.String("SCCACHE_MEMCACHED_PASSWORD"),
            Expiration = (uint)(e.UInt("SCCACHE_MEMCACHED_EXPIRATION", uint.MaxValue) ?? MemcachedCacheConfig.DefaultExpiration),
            KeyPrefix = e.KeyPrefix("SCCACHE_MEMCACHED_KEY_PREFIX"),
            RwMode = e.RwMode("SCCACHE_MEMCACHED_RW_MODE") ?? CacheRwMode.ReadWrite,
        };
    }

    private static GcsCacheConfig? ReadGcs(EnvReader e)
    {
        var bucket = e.String("SCCACHE_GCS_BUCKET");
        var hasCredentials = e.String("SCCACHE_GCS_CREDENTIALS_URL") is not null || e.String("SCCACHE_GCS_OAUTH_URL") is not null || e.String("SCCACHE_GCS_KEY_PATH") is not null;
        if (bucket is null)
        {
            if (hasCredentials)
            {
                e.Errors.Add("SCCACHE_GCS_BUCKET", "GCS credentials are set (SCCACHE_GCS_KEY_PATH, SCCACHE_GCS_CREDENTIALS_URL or SCCACHE_GCS_OAUTH_URL) but no bucket");
            }

            return null;
        }

        if (e.String("SCCACHE_GCS_OAUTH_URL") is not null)
        {
            e.Errors.Warn("SCCACHE_GCS_OAUTH_URL", "deprecated and ignored; to use VM metadata for auth, set SCCACHE_GCS_SERVICE_ACCOUNT");
        }

        return new GcsCacheConfig
        {
            Bucket = bucket,
            KeyPrefix = e.KeyPrefix("SCCACHE_GCS_KEY_PREFIX"),
            CredentialUrl = e.String("SCCACHE_GCS_CREDENTIALS_URL"),
            CredPath = e.String("SCCACHE_GCS_KEY_PATH"),
            ServiceAccount = e.String("SCCACHE_GCS_SERVICE_ACCOUNT"),
            RwMode = e.RwMode("SCCACHE_GCS_RW_MODE") ?? CacheRwMode.ReadOnly,
        };
    }

    private static GhaCacheConfig? ReadGha(EnvReader e)
    {
        var mode = e.RwMode("SCCACHE_GHA_RW_MODE") ?? CacheRwMode.ReadWrite;
        if (e.String("SCCACHE_GHA_VERSION") is { } version)
        {
            return new GhaCacheConfig { Enabled = true, Version = version, RwMode = mode };
        }

        return e.Bool("SCCACHE_GHA_ENABLED") is true ? new GhaCacheConfig { Enabled = true, RwMode = mode } : null;
    }

    private static AzureCacheConfig? ReadAzure(EnvReader e)
    {
        if (e.String("SCCACHE_AZURE_BLOB_CONTAINER") is not { } container)
        {
            return null;
        }

        var connection = e.String("SCCACHE_AZURE_CONNECTION_STRING");
        var account = e.String("SCCACHE_AZURE_STORAGE_ACCOUNT");
        var endpoint = e.String("SCCACHE_AZURE_ENDPOINT");
        if (connection is not null && (account is not null || endpoint is not null))
        {
            e.Errors.Add("SCCACHE_AZURE_CONNECTION_STRING", "set either SCCACHE_AZURE_CONNECTION_STRING (shared key) or SCCACHE_AZURE_STORAGE_ACCOUNT / SCCACHE_AZURE_ENDPOINT (Entra ID), not both");
        }

        if (connection is null && account is null && endpoint is null)
        {
            e.Errors.Warn("SCCACHE_AZURE_BLOB_CONTAINER", "set but no Azure auth source (SCCACHE_AZURE_CONNECTION_STRING, SCCACHE_AZURE_STORAGE_ACCOUNT or SCCACHE_AZURE_ENDPOINT); the Azure cache is off");
            return null;
        }

        return new AzureCacheConfig
        {
            Container = container,
            ConnectionString = connection,
            StorageAccount = account,
            Endpoint = endpoint,
            KeyPrefix = e.KeyPrefix("SCCACHE_AZURE_KEY_PREFIX"),
            RwMode = e.RwMode("SCCACHE_AZURE_RW_MODE") ?? CacheRwMode.ReadWrite,
        };
    }

    private static WebDavCacheConfig? ReadWebDav(EnvReader e) =>
        e.String("SCCACHE_WEBDAV_ENDPOINT") is not { } endpoint ? null : new WebDavCacheConfig
        {
            Endpoint = endpoint,
            KeyPrefix = e.KeyPrefix("SCCACHE_WEBDAV_KEY_PREFIX"),
            Username = e.String("SCCACHE_WEBDAV_USERNAME"),
            Password = e.String("SCCACHE_WEBDAV_PASSWORD"),
            Token = e.String("SCCACHE_WEBDAV_TOKEN"),
            RwMode = e.RwMode("SCCACHE_WEBDAV_RW_MODE") ?? CacheRwMode.ReadWrite,
        };

    private static OssCacheConfig? ReadOss(EnvReader e)
    {
        if (e.String("SCCACHE_OSS_BUCKET") is not { } bucket)
        {
            return null;
        }

        var config = new OssCacheConfig
        {
            Bucket = bucket,
            Endpoint = e.String("SCCACHE_OSS_ENDPOINT"),
            KeyPrefix = e.KeyPrefix("SCCACHE_OSS_KEY_PREFIX"),
            NoCredentials = e.Bool("SCCACHE_OSS_NO_CREDENTIALS") ?? false,
            RwMode = e.RwMode("SCCACHE_OSS_RW_MODE") ?? CacheRwMode.ReadWrite,
        };
        if (config.NoCredentials && (e.IsSet("ALIBABA_CLOUD_ACCESS_KEY_ID") || e.IsSet("ALIBABA_CLOUD_ACCESS_KEY_SECRET")))
        {
            e.Errors.Add("SCCACHE_OSS_NO_CREDENTIALS", "must not be set together with ALIBABA_CLOUD_ACCESS_KEY_ID or ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        }

        return config;
    }

    private static CosCacheConfig? ReadCos(EnvReader e) =>
        e.String("SCCACHE_COS_BUCKET") is not { } bucket ? null : new CosCacheConfig
        {
            Bucket = bucket,
            Endpoint = e.String("SCCACHE_COS_ENDPOINT"),
            KeyPrefix = e.KeyPrefix("SCCACHE_COS_KEY_PREFIX"),
            RwMode = e.RwMode("SCCACHE_COS_RW_MODE") ?? CacheRwMode.ReadWrite,
        };
}
