using System.Diagnostics;
using SharpCache.Storage.Gcs;
using SharpCache.Storage.Remote;
using SharpCache.TestServers;

namespace SharpCache.Storage.Cloud.Tests.Gcs;

/// <summary>Writes refused, a dead or stalled endpoint: bounded error results, never exceptions.</summary>
public sealed class GcsFaultTests
{
    [Fact]
    public async Task PutAndCheck_WritesRefused_AreReadOnlyAndReadsWork()
    {
        await using var server = GcsJsonApiServer.Start(null, "b");
        var options = new GcsStorageOptions { Bucket = "b", ReadOnly = false, Anonymous = true, BaseUri = server.BaseUri };
        await using var storage = GcsStorage.Create(options);
        var key = TestKeys.NewKey();
        var value = TestKeys.NewValue(10);
        await storage.PutAsync(key, value, TestKeys.Timeout());
        server.RefuseWrites = true;

        var written = await storage.PutAsync(TestKeys.NewKey(), value, TestKeys.Timeout());
        var check = await storage.CheckAsync(TestKeys.Timeout());
        var read = await storage.GetAsync(key, TestKeys.Timeout());

        Assert.IsType<RemoteWriteResult.ReadOnly>(written);
        Assert.Equal(RemoteCheckStatus.ReadOnly, check.Status);
        Assert.Equal(value, Assert.IsType<RemoteReadResult.Hit>(read).Data);
    }

    [Fact]
    public async Task Calls_ServerGone_AreBoundedErrors()
    {
        var server = GcsJsonApiServer.Start(null, "b");
        var options = new GcsStorageOptions { Bucket = "b", ReadOnly = false, Anonymous = true, BaseUri = server.BaseUri };
        await using var storage = GcsStorage.Create(options);
        var key = TestKeys.NewKey();
        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, TestKeys.NewValue(10), TestKeys.Timeout()));

        await server.DisposeAsync();
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
        var options = new GcsStorageOptions { Bucket = "b", Anonymous = true, BaseUri = new Uri($"http://{StallProxy.Host}:{proxy.Port}/storage/v1/") };
        await using var storage = GcsStorage.Create(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var clock = Stopwatch.StartNew();
        var read = await storage.GetAsync(TestKeys.NewKey(), timeout.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("cancelled", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Timeout, ((RemoteReadResult.Error)read).Kind);
    }
}
