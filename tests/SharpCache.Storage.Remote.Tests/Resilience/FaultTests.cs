using System.Diagnostics;
using SharpCache.Storage.Remote.Memcached;
using SharpCache.Storage.Remote.Redis;
using SharpCache.Storage.Remote.Resilience;
using SharpCache.Storage.Remote.Tests.Support;
using SharpCache.Storage.Remote.WebDav;
using SharpCache.TestServers;

namespace SharpCache.Storage.Remote.Tests.Resilience;

/// <summary>
/// Real servers that die, stall or come back, behind <see cref="ResilientRemoteStorage"/>: every
/// call ends within its timeout, the circuit opens after three failures and then answers at once,
/// and after the break a restarted server is used again.
/// </summary>
public sealed class FaultTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Backends => ["redis", "memcached", "webdav"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task GetAsync_ServerKilledMidTest_ErrorsThenCircuitOpens(string backend)
    {
        await using var server = await StartAsync(backend);
        var options = new ResilienceOptions { GetTimeout = TimeSpan.FromSeconds(1), BreakDuration = TimeSpan.FromSeconds(30) };
        await using var storage = new ResilientRemoteStorage(Create(backend, Endpoint(backend, server.Port)), options);
        var key = TestData.Key();
        Assert.IsType<RemoteWriteResult.Written>(await storage.PutAsync(key, TestData.Bytes(10), CancellationToken.None));
        Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None));

        server.Kill();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            Assert.IsType<RemoteReadResult.Error>(await storage.GetAsync(key, CancellationToken.None));
            Assert.True(watch.Elapsed < options.GetTimeout + Slack, $"call {i} took {watch.Elapsed}");
        }

        var shortCircuit = Stopwatch.StartNew();
        var refused = Assert.IsType<RemoteReadResult.Error>(await storage.GetAsync(key, CancellationToken.None));

        Assert.True(shortCircuit.Elapsed < TimeSpan.FromSeconds(1), $"short-circuit took {shortCircuit.Elapsed}");
        Assert.Equal(RemoteFailureKind.CircuitOpen, refused.Kind);
        Assert.Equal(CircuitState.Open, storage.CircuitState);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task GetAsync_StallingServer_EachCallBoundedThenShortCircuits(string backend)
    {
        await using var stall = StallProxy.Start();
        var options = new ResilienceOptions { GetTimeout = TimeSpan.FromMilliseconds(500), PutTimeout = TimeSpan.FromMilliseconds(500) };
        await using var storage = new ResilientRemoteStorage(Create(backend, Endpoint(backend, stall.Port)), options);

        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var read = await storage.GetAsync(TestData.Key(), CancellationToken.None);
            Assert.True(watch.Elapsed < options.GetTimeout + Slack, $"call {i} took {watch.Elapsed}");
            Assert.IsType<RemoteReadResult.Error>(read);
        }

        var shortCircuit = Stopwatch.StartNew();
        var refused = Assert.IsType<RemoteWriteResult.Error>(await storage.PutAsync(TestData.Key(), TestData.Bytes(10), CancellationToken.None));

        Assert.True(shortCircuit.Elapsed < TimeSpan.FromSeconds(1), $"short-circuit took {shortCircuit.Elapsed}");
        Assert.Equal(RemoteFailureKind.CircuitOpen, refused.Kind);
        Assert.True(storage.GetStats().Timeouts >= 1, storage.GetStats().ToString());
        Assert.True(stall.AcceptedConnections >= 1);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task GetAsync_ServerRestarted_WorksAgainAfterBreak(string backend)
    {
        await using var server = await StartAsync(backend);
        var options = new ResilienceOptions { GetTimeout = TimeSpan.FromSeconds(1), PutTimeout = TimeSpan.FromSeconds(2), BreakDuration = TimeSpan.FromMilliseconds(500) };
        await using var storage = new ResilientRemoteStorage(Create(backend, Endpoint(backend, server.Port)), options);
        Assert.IsType<RemoteReadResult.Miss>(await storage.GetAsync(TestData.Key(), CancellationToken.None));

        server.Kill();
        for (var i = 0; i < 3; i++)
        {
            await storage.GetAsync(TestData.Key(), CancellationToken.None);
        }

        Assert.Equal(CircuitState.Open, storage.CircuitState);
        await server.RestartAsync();
        var key = TestData.Key();
        var back = await TestData.EventuallyAsync(
            async () => await storage.PutAsync(key, TestData.Bytes(10), CancellationToken.None) is RemoteWriteResult.Written,
            TimeSpan.FromSeconds(20));

        Assert.True(back, server.FailureMessage("the tier did not come back: " + storage.GetStats()));
        Assert.IsType<RemoteReadResult.Hit>(await storage.GetAsync(key, CancellationToken.None));
        Assert.Equal(CircuitState.Closed, storage.CircuitState);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task CheckAsync_TierDownAtStart_UnreachableWithinBound(string backend)
    {
        var port = FreePort.Next();
        var options = new ResilienceOptions { CheckTimeout = TimeSpan.FromSeconds(3), GetTimeout = TimeSpan.FromSeconds(1) };
        await using var storage = new ResilientRemoteStorage(Create(backend, Endpoint(backend, port)), options);

        var watch = Stopwatch.StartNew();
        var check = await storage.CheckAsync(CancellationToken.None);
        var read = await storage.GetAsync(TestData.Key(), CancellationToken.None);

        Assert.Equal(RemoteCheckStatus.Unreachable, check.Status);
        Assert.IsType<RemoteReadResult.Error>(read);
        Assert.True(watch.Elapsed < options.CheckTimeout + options.GetTimeout + Slack, $"took {watch.Elapsed}");
    }

    private static async Task<ServerProcess> StartAsync(string backend) => backend switch
    {
        "redis" => await RedisServer.StartAsync(),
        "memcached" => await MemcachedServer.StartAsync(),
        _ => await NginxWebDav.StartAsync(),
    };

    private static string Endpoint(string backend, int port) => backend switch
    {
        "redis" => $"redis://{ServerProcess.Host}:{port}",
        "memcached" => $"tcp://{ServerProcess.Host}:{port}",
        _ => $"http://{ServerProcess.Host}:{port}/",
    };

    private static IRemoteStorage Create(string backend, string endpoint) => backend switch
    {
        "redis" => RedisStorage.Create(new RedisStorageOptions { Endpoint = endpoint }),
        "memcached" => MemcachedStorage.Create(new MemcachedStorageOptions { Endpoint = endpoint }),
        _ => WebDavStorage.Create(new WebDavStorageOptions { Endpoint = endpoint }),
    };
}
