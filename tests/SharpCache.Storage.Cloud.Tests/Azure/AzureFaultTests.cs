using System.Diagnostics;
using SharpCache.Storage.Azure;
using SharpCache.Storage.Remote;
using SharpCache.TestServers;

namespace SharpCache.Storage.Cloud.Tests.Azure;

/// <summary>An Azure endpoint that dies or stalls costs a bounded time and yields error results, never exceptions.</summary>
public sealed class AzureFaultTests
{
    [Fact]
    public async Task Calls_ServerKilled_AreBoundedErrors()
    {
        await using var server = await AzuriteServer.StartAsync(TestKeys.Timeout(60));
        var options = new AzureBlobStorageOptions { ConnectionString = server.ConnectionString, Container = "fault" };
        await new global::Azure.Storage.Blobs.BlobContainerClient(server.ConnectionString, "fault").CreateAsync(cancellationToken: TestKeys.Timeout());
        await using var storage = AzureBlobStorage.Create(options);
        var key = TestKeys.NewKey();
        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, TestKeys.NewValue(10), TestKeys.Timeout()));

        server.Kill();
        var clock = Stopwatch.StartNew();
        var read = await storage.GetAsync(key, TestKeys.Timeout());
        var written = await storage.PutAsync(key, TestKeys.NewValue(10), TestKeys.Timeout());
        var check = await storage.CheckAsync(TestKeys.Timeout());
        clock.Stop();

        Assert.Contains("cannot reach", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Unreachable, ((RemoteReadResult.Error)read).Kind);
        Assert.IsType<RemoteWriteResult.Error>(written);
        Assert.Equal(RemoteCheckStatus.Unreachable, check.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Get_ServerStalls_EndsWithTheCallersTimeout()
    {
        await using var proxy = StallProxy.Start();
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};BlobEndpoint=http://{StallProxy.Host}:{proxy.Port}/{AzuriteServer.AccountName};";
        await using var storage = AzureBlobStorage.Create(new AzureBlobStorageOptions { ConnectionString = connectionString, Container = "stalled" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var clock = Stopwatch.StartNew();
        var read = await storage.GetAsync(TestKeys.NewKey(), timeout.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("cancelled", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Timeout, ((RemoteReadResult.Error)read).Kind);
    }
}
