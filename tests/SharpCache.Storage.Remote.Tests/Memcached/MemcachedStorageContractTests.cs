using SharpCache.Storage.Remote.Memcached;
using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.Memcached;

public sealed class MemcachedStorageContractTests : RemoteStorageContractTests
{
    protected override async Task<ServerProcess> StartServerAsync() => await MemcachedServer.StartAsync();

    protected override IRemoteStorage Create(ServerProcess server, string? prefix = null, bool readOnly = false) =>
        MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = ((MemcachedServer)server).Url, KeyPrefix = prefix, ReadOnly = readOnly });

    protected override Task<long> CountObjectsAsync(ServerProcess server) => ((MemcachedServer)server).CurrentItemsAsync();
}
