using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.Storage.Remote.WebDav;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.WebDav;

public sealed class WebDavStorageContractTests : RemoteStorageContractTests
{
    protected override async Task<ServerProcess> StartServerAsync() => await NginxWebDav.StartAsync();

    protected override IRemoteStorage Create(ServerProcess server, string? prefix = null, bool readOnly = false) =>
        WebDavStorage.Create(new WebDavStorageOptions { Endpoint = ((NginxWebDav)server).Url.ToString(), KeyPrefix = prefix, ReadOnly = readOnly });

    protected override Task<long> CountObjectsAsync(ServerProcess server) => Task.FromResult((long)((NginxWebDav)server).ListFiles().Count);
}
