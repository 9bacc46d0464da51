using System.Diagnostics;
using SharpCache.Storage.Remote;
using SharpCache.Storage.S3;
using SharpCache.TestServers;

namespace SharpCache.Storage.Cloud.Tests.S3;

/// <summary>An S3 server that dies or stalls costs a bounded time and yields error results, never exceptions.</summary>
public sealed class S3FaultTests
{
    [Fact]
    public async Task Calls_ServerKilled_AreBoundedErrors_ThenRecoverAfterRestart()
    {
        await using var server = await S3rverServer.StartAsync(cancellationToken: TestKeys.Timeout(60));
        var options = new S3StorageOptions
        {
            Bucket = server.Bucket,
            Endpoint = server.Endpoint,
            Credentials = S3rverFixture.Credentials,
            KeyPrefix = "fault",
        };
        await using var storage = S3Storage.Create(options);
        var key = TestKeys.NewKey();
        var value = TestKeys.NewValue(100);
        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, value, TestKeys.Timeout()));

        server.Kill();
        var clock = Stopwatch.StartNew();
        var read = await storage.GetAsync(key, TestKeys.Timeout());
        var written = await storage.PutAsync(TestKeys.NewKey(), value, TestKeys.Timeout());
        var check = await storage.CheckAsync(TestKeys.Timeout());
        clock.Stop();

        Assert.Contains("cannot reach", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Unreachable, ((RemoteReadResult.Error)read).Kind);
        Assert.IsType<RemoteWriteResult.Error>(written);
        Assert.Equal(RemoteCheckStatus.Unreachable, check.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");

        await server.RestartAsync(TestKeys.Timeout(60));
        Assert.Equal(value, Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, TestKeys.Timeout())).Data);
    }

    [Fact]
    public async Task Get_ServerStalls_EndsWithTheCallersTimeout()
    {
        await using var proxy = StallProxy.Start();
        var options = new S3StorageOptions
        {
            Bucket = "stalled",
            Endpoint = $"http://{StallProxy.Host}:{proxy.Port}",
            Credentials = S3rverFixture.Credentials,
        };
        await using var storage = S3Storage.Create(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var clock = Stopwatch.StartNew();
        var read = await storage.GetAsync(TestKeys.NewKey(), timeout.Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("cancelled", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Equal(RemoteFailureKind.Timeout, ((RemoteReadResult.Error)read).Kind);
    }

    [Fact]
    public async Task Get_ServerStalls_EndsWithTheRequestTimeout()
    {
        await using var proxy = StallProxy.Start();
        var options = new S3StorageOptions
        {
            Bucket = "stalled",
            Endpoint = $"http://{StallProxy.Host}:{proxy.Port}",
            Credentials = S3rverFixture.Credentials,
            RequestTimeout = TimeSpan.FromSeconds(1),
            MaxErrorRetry = 0,
        };
        await using var storage = S3Storage.Create(options);

        var clock = Stopwatch.StartNew();
        var read = await storage.GetAsync(TestKeys.NewKey(), TestKeys.Timeout());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.IsType<RemoteReadResult.Error>(read);
    }
}
