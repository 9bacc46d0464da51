using System.Buffers;
using System.Collections.Concurrent;
using SharpCache.Client.Storage;
using SharpCache.Daemon;
using SharpCache.Protocol;
using SharpCache.Storage;

namespace SharpCache.Tests.Daemon;

/// <summary>The remote-tier messages end to end over the real socket, with an in-memory tier set standing in for Redis/S3.</summary>
public sealed class RemoteTierMessagesTests
{
    private static readonly string KeyA = new('a', 64);
    private static readonly string KeyB = new('b', 64);

    [Fact]
    public void Codec_RoundTripsAndRejectsGarbage()
    {
        var w = new ArrayBufferWriter<byte>();
        RemoteMessageCodec.WritePut(w, KeyA, [1, 2, 3]);
        Assert.True(RemoteMessageCodec.TryReadPut(w.WrittenSpan, out var key, out var data));
        Assert.Equal(KeyA, key);
        Assert.Equal([1, 2, 3], data.ToArray());
        for (var cut = 0; cut < w.WrittenCount; cut++)
        {
            Assert.False(RemoteMessageCodec.TryReadPut(w.WrittenSpan[..cut], out _, out _));
        }

        var reply = new ArrayBufferWriter<byte>();
        RemoteMessageCodec.WriteReply(reply, RemoteGetStatus.Error, default, "redis down");
        Assert.True(RemoteMessageCodec.TryReadReply(reply.WrittenSpan, out var status, out _, out var reason));
        Assert.Equal(RemoteGetStatus.Error, status);
        Assert.Equal("redis down", reason);
        Assert.False(RemoteMessageCodec.TryReadReply([9], out _, out _, out _));

        var withBundle = new ArrayBufferWriter<byte>();
        RemoteMessageCodec.WriteReply(withBundle, RemoteGetStatus.Hit, [5], null, [new(KeyB, [6, 7])]);
        Assert.True(RemoteMessageCodec.TryReadReply(withBundle.WrittenSpan, out _, out var manifest, out _, out var bundle));
        Assert.Equal([5], manifest.ToArray());
        var (bundledKey, bundled) = Assert.Single(bundle);
        Assert.Equal(KeyB, bundledKey);
        Assert.Equal([6, 7], bundled);
        for (var cut = 1; cut < withBundle.WrittenCount; cut++)
        {
            Assert.False(RemoteMessageCodec.TryReadReply(withBundle.WrittenSpan[..cut], out _, out _, out _, out _));
        }

        var get = new ArrayBufferWriter<byte>();
        RemoteMessageCodec.WriteGet(get, "../../etc/passwd");
        Assert.False(RemoteMessageCodec.TryReadGet(get.WrittenSpan, out _));
    }

    [Fact]
    public async Task Daemon_ServesGetsAndQueuesPuts()
    {
        var tiers = new MemoryTiers();
        await using var daemon = await TestDaemon.StartAsync(remote: tiers);
        var client = new RemoteTierClient(daemon.Options, launcher: null) { LookupTimeout = TestDaemon.Timeout };

        Assert.IsType<StorageReadResult.Miss>(client.Get(new CacheKey(KeyA)));
        Assert.True(client.Put(new CacheKey(KeyA), [7, 8, 9]));
        await tiers.WaitForAsync(KeyA);
        var hit = Assert.IsType<StorageReadResult.Hit>(client.Get(new CacheKey(KeyA)));
        Assert.Equal([7, 8, 9], hit.Data);

        tiers.Fail = true;
        Assert.IsType<StorageReadResult.Error>(client.Get(new CacheKey(KeyB)));
    }

    [Fact]
    public async Task Daemon_WithoutTiers_AnswersNoTiersAsMiss()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var client = new RemoteTierClient(daemon.Options, launcher: null) { LookupTimeout = TestDaemon.Timeout };
        Assert.IsType<StorageReadResult.Miss>(client.Get(new CacheKey(KeyA)));
    }

    [Fact]
    public void Client_NoDaemon_IsAnErrorNotAnException()
    {
        var options = TestDaemon.CreateOptionsOnly().Options;
        var client = new RemoteTierClient(options, launcher: null);
        Assert.IsType<StorageReadResult.Error>(client.Get(new CacheKey(KeyA)));
        Assert.False(client.Put(new CacheKey(KeyA), [1]));
    }

    private sealed class MemoryTiers : IRemoteTiers
    {
        private readonly ConcurrentDictionary<string, byte[]> _data = new();

        public bool Fail { get; set; }

        public Task<RemoteLookup> GetAsync(string key, CancellationToken cancellationToken) =>
            Task.FromResult(Fail
                ? new RemoteLookup(RemoteGetStatus.Error, null, "down")
                : _data.TryGetValue(key, out var data) ? new RemoteLookup(RemoteGetStatus.Hit, data, null) : RemoteLookup.Miss);

        public void EnqueuePut(string key, byte[] data) => _data[key] = data;

        public IReadOnlyList<CacheLevelInfo> Snapshot() => [new CacheLevelInfo { Name = "memory", Hits = _data.Count }];

        public void ResetStats()
        {
        }

        public Task FlushAsync(TimeSpan timeout) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public async Task WaitForAsync(string key)
        {
            var deadline = DateTime.UtcNow + TestDaemon.Timeout;
            while (!_data.ContainsKey(key) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Assert.True(_data.ContainsKey(key));
        }
    }
}
