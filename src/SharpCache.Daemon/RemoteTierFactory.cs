using SharpCache.Config;
using SharpCache.Configuration;
using SharpCache.Core.Formats;
using SharpCache.Daemon;
using SharpCache.Logging;
using SharpCache.Storage.Azure;
using SharpCache.Storage.Gcs;
using SharpCache.Storage.Remote;
using SharpCache.Storage.Remote.Memcached;
using SharpCache.Storage.Remote.MultiLevel;
using SharpCache.Storage.Remote.Redis;
using SharpCache.Storage.Remote.Resilience;
using SharpCache.Storage.Remote.WebDav;
using SharpCache.Storage.S3;

namespace SharpCache.DaemonProcess;

/// <summary>
/// Builds the remote tiers of the configured chain (none when the chain is the local disk alone):
/// each configured backend becomes its storage client, wrapped in timeouts and a circuit breaker,
/// chained in order behind the local disk. The one place that maps configuration onto backends.
/// </summary>
internal static class RemoteTierFactory
{
    public static IRemoteTiers? Create(SharpCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Storage is not { HasRemote: true } storage)
        {
            return null;
        }

        var levels = new List<IRemoteStorage>();
        foreach (var level in storage.RemoteLevels)
        {
            try
            {
                levels.Add(new ResilientRemoteStorage(CreateBackend(level), Resilience()));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or UriFormatException or IOException)
            {
                // The level cannot be built (bad URL, unreadable credentials): say so once, keep the others.
                Log.Warn("cache level " + level.Name + " disabled: " + e.Message);
            }
        }

        if (levels.Count == 0)
        {
            return null;
        }

        var chain = new MultiLevelStorage(levels, new MultiLevelOptions
        {
            WriteErrorPolicy = storage.WriteErrorPolicy switch
            {
                Config.WriteErrorPolicy.Ignore => Storage.Remote.MultiLevel.WriteErrorPolicy.Ignore,
                Config.WriteErrorPolicy.All => Storage.Remote.MultiLevel.WriteErrorPolicy.All,
                _ => Storage.Remote.MultiLevel.WriteErrorPolicy.L0,
            },
            Validator = static data => StoredBlob.LooksValid(data.Span),
        });
        return new RemoteTierChain(chain);
    }

    private static ResilienceOptions Resilience() => ResilienceOptions.Default;

    private static IRemoteStorage CreateBackend(CacheBackendConfig level)
    {
        var readOnly = level.RwMode == CacheRwMode.ReadOnly;
        return level switch
        {
            RedisCacheConfig r => RedisStorage.Create(new RedisStorageOptions
            {
                Endpoint = r.Endpoint ?? r.Url,
                ClusterEndpoints = r.ClusterEndpoints is { Length: > 0 } cluster ? [cluster] : [],
                Username = r.Username,
                Password = r.Password,
                Db = r.Db == 0 ? null : (int)r.Db,
                ExpirationSeconds = (long)r.Ttl,
                KeyPrefix = r.KeyPrefix,
                ReadOnly = readOnly,
            }),
            MemcachedCacheConfig m => MemcachedStorage.Create(new MemcachedStorageOptions
            {
                Endpoint = m.Url,
                Username = m.Username,
                Password = m.Password,
                ExpirationSeconds = m.Expiration,
                KeyPrefix = m.KeyPrefix,
                ReadOnly = readOnly,
            }),
            WebDavCacheConfig w => WebDavStorage.Create(new WebDavStorageOptions
            {
                Endpoint = w.Endpoint,
                KeyPrefix = w.KeyPrefix,
                Username = w.Username,
                Password = w.Password,
                Token = w.Token,
                ReadOnly = readOnly,
            }),
            S3CacheConfig s => S3Storage.Create(new S3StorageOptions
            {
                Bucket = s.Bucket,
                Region = s.Region,
                Endpoint = s.Endpoint,
                UseSsl = s.UseSsl,
                KeyPrefix = s.KeyPrefix,
                NoCredentials = s.NoCredentials,
                ServerSideEncryption = s.ServerSideEncryption == true,
                ServerSideEncryptionAwsKms = s.ServerSideEncryptionAwsKms == true,
                ServerSideEncryptionKmsKeyId = s.ServerSideEncryptionKmsKeyId,
                EnableVirtualHostStyle = s.EnableVirtualHostStyle == true,
                ReadOnly = readOnly,
            }),
            AzureCacheConfig a => AzureBlobStorage.Create(new AzureBlobStorageOptions
            {
                ConnectionString = a.ConnectionString
                    ?? throw new ArgumentException("Azure: only connection-string authentication is supported (SCCACHE_AZURE_CONNECTION_STRING)"),
                Container = a.Container,
                KeyPrefix = a.KeyPrefix,
                ReadOnly = readOnly,
            }),
            GcsCacheConfig g => GcsStorage.Create(new GcsStorageOptions
            {
                Bucket = g.Bucket,
                KeyPrefix = g.KeyPrefix,
                CredentialsPath = g.CredPath,
                ReadOnly = readOnly,
            }),
            _ => throw new ArgumentException("backend " + level.Name + " is not supported by SharpCache"),
        };
    }
}
