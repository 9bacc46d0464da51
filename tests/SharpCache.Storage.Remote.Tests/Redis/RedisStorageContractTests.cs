using SharpCache.Storage.Remote.Redis;
using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.Redis;

public sealed class RedisStorageContractTests : RemoteStorageContractTests
{
    protected override async Task<ServerProcess> StartServerAsync() => await RedisServer.StartAsync();

    protected override IRemoteStorage Create(ServerProcess server, string? prefix = null, bool readOnly = false) =>
        RedisStorage.Create(new RedisStorageOptions { Endpoint = ((RedisServer)server).Url, KeyPrefix = prefix, ReadOnly = readOnly });

    protected override Task<long> CountObjectsAsync(ServerProcess server) => ((RedisServer)server).DbSizeAsync();
}
