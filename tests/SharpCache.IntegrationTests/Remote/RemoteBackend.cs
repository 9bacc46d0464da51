using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Remote;

/// <summary>
/// A real remote cache server for the end-to-end tests, and the <c>SCCACHE_*</c> variables that
/// point sharpcache at it (sccache's names: a "machine" is a TestEnvironment with these set).
/// </summary>
public sealed class RemoteBackend : IAsyncDisposable
{
    private readonly IAsyncDisposable _server;

    private RemoteBackend(string name, IAsyncDisposable server, Dictionary<string, string> env, Action kill)
    {
        Name = name;
        _server = server;
        Env = env;
        Kill = kill;
    }

    public static IEnumerable<object[]> Names => [["redis"], ["memcached"], ["webdav"], ["s3"], ["azure"]];

    public string Name { get; }

    /// <summary>Read-write configuration of this backend as the only cache (sccache's single-backend mode).</summary>
    public Dictionary<string, string> Env { get; }

    /// <summary>Kills the server process (fault tests).</summary>
    public Action Kill { get; }

    /// <summary>The variable holding this backend's <c>rw_mode</c>.</summary>
    public string RwModeVariable => Name switch
    {
        "redis" => "SCCACHE_REDIS_RW_MODE",
        "memcached" => "SCCACHE_MEMCACHED_RW_MODE",
        "webdav" => "SCCACHE_WEBDAV_RW_MODE",
        "s3" => "SCCACHE_S3_RW_MODE",
        "azure" => "SCCACHE_AZURE_RW_MODE",
        _ => throw new ArgumentException(Name),
    };

    /// <summary>Variables that make this backend's credentials wrong.</summary>
    public Dictionary<string, string> WrongCredentials(Dictionary<string, string>? extra = null) => Name switch
    {
        "redis" => new() { ["SCCACHE_REDIS_PASSWORD"] = "wrong-password" },
        "webdav" => new() { ["SCCACHE_WEBDAV_USERNAME"] = "builder", ["SCCACHE_WEBDAV_PASSWORD"] = "wrong-password" },
        // s3rver checks the access key id, not the signature of a streamed payload.
        "s3" => new() { ["AWS_ACCESS_KEY_ID"] = "NOBODY", ["AWS_SECRET_ACCESS_KEY"] = "wrong-secret" },
        "azure" => new() { ["SCCACHE_AZURE_CONNECTION_STRING"] = ((AzuriteServer)_server).ConnectionStringWithKey(Convert.ToBase64String(new byte[64])) },
        _ => extra ?? [],
    };

    /// <summary>Starts the server; <paramref name="withAuth"/> turns on the server's password (redis, webdav).</summary>
    public static async Task<RemoteBackend> StartAsync(string name, bool withAuth = false)
    {
        switch (name)
        {
            case "redis":
                {
                    var server = await RedisServer.StartAsync(withAuth ? new RedisServerOptions { Password = "secret" } : null);
                    var env = new Dictionary<string, string> { ["SCCACHE_REDIS_ENDPOINT"] = server.Url, ["SCCACHE_REDIS_KEY_PREFIX"] = "it" };
                    if (withAuth)
                    {
                        env["SCCACHE_REDIS_PASSWORD"] = "secret";
                    }

                    return new RemoteBackend(name, server, env, server.Kill);
                }

            case "memcached":
                {
                    var server = await MemcachedServer.StartAsync();
                    return new RemoteBackend(name, server, new() { ["SCCACHE_MEMCACHED_ENDPOINT"] = server.Url }, server.Kill);
                }

            case "webdav":
                {
                    var server = await NginxWebDav.StartAsync(withAuth ? new NginxWebDavOptions { Username = "builder", Password = "secret" } : null);
                    var env = new Dictionary<string, string> { ["SCCACHE_WEBDAV_ENDPOINT"] = server.Url.ToString(), ["SCCACHE_WEBDAV_KEY_PREFIX"] = "it" };
                    if (withAuth)
                    {
                        env["SCCACHE_WEBDAV_USERNAME"] = "builder";
                        env["SCCACHE_WEBDAV_PASSWORD"] = "secret";
                    }

                    return new RemoteBackend(name, server, env, server.Kill);
                }

            case "s3":
                {
                    var server = await S3rverServer.StartAsync();
                    return new RemoteBackend(name, server, new()
                    {
                        ["SCCACHE_BUCKET"] = server.Bucket,
                        ["SCCACHE_ENDPOINT"] = server.Endpoint,
                        ["SCCACHE_REGION"] = "us-east-1",
                        ["SCCACHE_S3_USE_SSL"] = "false",
                        ["SCCACHE_S3_KEY_PREFIX"] = "it",
                        ["AWS_ACCESS_KEY_ID"] = S3rverServer.AccessKeyId,
                        ["AWS_SECRET_ACCESS_KEY"] = S3rverServer.SecretAccessKey,
                    }, server.Kill);
                }

            case "azure":
                {
                    var server = await AzuriteServer.StartAsync();
                    var container = new Azure.Storage.Blobs.BlobContainerClient(server.ConnectionString, "sharpcache");
                    await container.CreateIfNotExistsAsync();
                    return new RemoteBackend(name, server, new()
                    {
                        ["SCCACHE_AZURE_CONNECTION_STRING"] = server.ConnectionString,
                        ["SCCACHE_AZURE_BLOB_CONTAINER"] = "sharpcache",
                        ["SCCACHE_AZURE_KEY_PREFIX"] = "it",
                    }, server.Kill);
                }

            default:
                throw new ArgumentException("unknown backend " + name, nameof(name));
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
