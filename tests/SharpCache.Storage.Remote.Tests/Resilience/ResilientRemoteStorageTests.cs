using System.Diagnostics;
using SharpCache.Storage.Remote.Resilience;
using SharpCache.Storage.Remote.Tests.Support;

namespace SharpCache.Storage.Remote.Tests.Resilience;

/// <summary>Timeouts and the circuit breaker over an in-memory tier and a hand-moved clock.</summary>
public sealed class ResilientRemoteStorageTests
{
    private readonly ManualClock _clock = new();
    private readonly FakeRemoteStorage _inner = new("fake");

    private ResilientRemoteStorage Wrap(TimeSpan? getTimeout = null) => new(_inner, new ResilienceOptions
    {
        GetTimeout = getTimeout ?? TimeSpan.FromSeconds(3),
        FailureThreshold = 3,
        BreakDuration = TimeSpan.FromSeconds(30),
        TimeProvider = _clock,
    });

    [Fact]
    public async Task GetAsync_ThreeFailures_OpensAndShortCircuitsWithoutIo()
    {
        var storage = Wrap();
        _inner.FailReads = true;

        for (var i = 0; i < 3; i++)
        {
            Assert.IsType<RemoteReadResult.Error>(await storage.GetAsync(TestData.Key(), CancellationToken.None));
        }

        var refused = Assert.IsType<RemoteReadResult.Error>(await storage.GetAsync(TestData.Key(), CancellationToken.None));
        var refusedWrite = Assert.IsType<RemoteWriteResult.Error>(await storage.PutAsync(TestData.Key(), new byte[1], CancellationToken.None));

        Assert.Equal(RemoteFailureKind.CircuitOpen, refused.Kind);
        Assert.Equal(RemoteFailureKind.CircuitOpen, refusedWrite.Kind);
        Assert.Equal(3, _inner.Gets);
        Assert.Equal(0, _inner.Puts);
        Assert.Equal(new ResilienceStatsSnapshot(Errors: 3, Timeouts: 0, ShortCircuits: 2, CircuitOpenings: 1, CircuitState.Open), storage.GetStats());
    }

    [Fact]
    public async Task GetAsync_SuccessBetweenFailures_ResetsTheCount()
    {
        var storage = Wrap();

        foreach (var fail in new[] { true, true, false, true, true })
        {
            _inner.FailReads = fail;
            await storage.GetAsync(TestData.Key(), CancellationToken.None);
        }

        Assert.Equal(CircuitState.Closed, storage.CircuitState);
    }

    [Fact]
    public async Task GetAsync_AfterBreak_OneTrialClosesOnSuccess()
    {
        var storage = Wrap();
        _inner.FailReads = true;
        for (var i = 0; i < 3; i++)
        {
            await storage.GetAsync(TestData.Key(), CancellationToken.None);
        }

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(RemoteFailureKind.CircuitOpen, Assert.IsType<RemoteReadResult.Error>(await storage.GetAsync(TestData.Key(), CancellationToken.None)).Kind);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _inner.FailReads = false;

        Assert.IsType<RemoteReadResult.Miss>(await storage.GetAsync(TestData.Key(), CancellationToken.None));
        Assert.Equal(CircuitState.Closed, storage.CircuitState);
        Assert.Equal(4, _inner.Gets);
    }

    [Fact]
    public async Task GetAsync_TrialFails_OpensForAnotherBreak()
    {
        var storage = Wrap();
        _inner.FailReads = true;
        for (var i = 0; i < 3; i++)
        {
            await storage.GetAsync(TestData.Key(), CancellationToken.None);
        }

        _clock.Advance(TimeSpan.FromSeconds(30));
        await storage.GetAsync(TestData.Key(), CancellationToken.None);

        Assert.Equal(CircuitState.Open, storage.CircuitState);
        Assert.Equal(RemoteFailureKind.CircuitOpen, Assert.IsType<RemoteReadResult.Error>(await storage.GetAsync(TestData.Key(), CancellationToken.None)).Kind);
        Assert.Equal(2, storage.GetStats().CircuitOpenings);
    }

    [Fact]
    public async Task GetAsync_HalfOpen_OnlyOneTrialGoesOut()
    {
        var storage = Wrap();
        _inner.FailReads = true;
        for (var i = 0; i < 3; i++)
        {
            await storage.GetAsync(TestData.Key(), CancellationToken.None);
        }

        _clock.Advance(TimeSpan.FromSeconds(30));
        _inner.FailReads = false;
        _inner.Delay = TimeSpan.FromMilliseconds(300);
        var trial = storage.GetAsync(TestData.Key(), CancellationToken.None);
        var others = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => storage.GetAsync(TestData.Key(), CancellationToken.None)));

        Assert.All(others, r => Assert.Equal(RemoteFailureKind.CircuitOpen, Assert.IsType<RemoteReadResult.Error>(r).Kind));
        Assert.IsType<RemoteReadResult.Miss>(await trial);
        Assert.Equal(4, _inner.Gets);
    }

    [Fact]
    public async Task GetAsync_SlowTier_TimesOutWithinBound()
    {
        var storage = Wrap(getTimeout: TimeSpan.FromMilliseconds(200));
        _inner.Delay = TimeSpan.FromSeconds(30);

        var watch = Stopwatch.StartNew();
        var read = await storage.GetAsync(TestData.Key(), CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(RemoteFailureKind.Timeout, Assert.IsType<RemoteReadResult.Error>(read).Kind);
        Assert.Equal(1, storage.GetStats().Timeouts);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_DoesNotCountAgainstTier()
    {
        var storage = Wrap();
        _inner.Delay = TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var read = await storage.GetAsync(TestData.Key(), cancel.Token);

        Assert.IsType<RemoteReadResult.Error>(read);
        Assert.Equal(0, storage.GetStats().Errors);
    }

    [Fact]
    public async Task GetAsync_InnerThrows_IsErrorResult()
    {
        await using var storage = new ResilientRemoteStorage(new ThrowingStorage());

        var read = await storage.GetAsync(TestData.Key(), CancellationToken.None);

        Assert.Contains("boom", Assert.IsType<RemoteReadResult.Error>(read).Reason, StringComparison.Ordinal);
        Assert.Equal(1, storage.GetStats().Errors);
    }

    [Fact]
    public async Task PutAsync_ReadOnlyTier_NeverCallsInner()
    {
        var inner = new FakeRemoteStorage("ro", readOnly: true);
        await using var storage = new ResilientRemoteStorage(inner);

        Assert.IsType<RemoteWriteResult.ReadOnly>(await storage.PutAsync(TestData.Key(), new byte[1], CancellationToken.None));
        Assert.Equal(0, inner.Puts);
    }

    private sealed class ThrowingStorage : IRemoteStorage
    {
        public string Name => "throwing";

        public string Location => "nowhere";

        public bool IsReadOnly => false;

        public Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");

        public Task<RemoteWriteResult> PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");

        public Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("boom");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
