using SharpCache.Storage.Remote.MultiLevel;
using SharpCache.Storage.Remote.Resilience;
using SharpCache.Storage.Remote.Tests.Support;

namespace SharpCache.Storage.Remote.Tests.MultiLevel;

/// <summary>The chain's read order, back-fill, write policies, validator and exact per-level stats, over in-memory tiers.</summary>
public sealed class MultiLevelStorageTests
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    private readonly FakeRemoteStorage _l0 = new("l0");
    private readonly FakeRemoteStorage _l1 = new("l1");
    private readonly FakeRemoteStorage _l2 = new("l2");

    private MultiLevelStorage Chain(WriteErrorPolicy policy = WriteErrorPolicy.L0, Func<ReadOnlyMemory<byte>, bool>? validator = null, params FakeRemoteStorage[] levels) =>
        new(levels.Length > 0 ? levels : [_l0, _l1, _l2], new MultiLevelOptions { WriteErrorPolicy = policy, Validator = validator });

    [Fact]
    public async Task GetAsync_HitInLastLevel_BackfillsFasterLevels()
    {
        await using var chain = Chain();
        var key = TestData.Key();
        _l2.Items[key] = [1, 2, 3];

        var read = await chain.GetAsync(key, CancellationToken.None);
        Assert.True(await chain.FlushAsync(FlushTimeout));

        Assert.Equal([1, 2, 3], Assert.IsType<RemoteReadResult.Hit>(read).Data);
        Assert.Equal([1, 2, 3], _l0.Items[key]);
        Assert.Equal([1, 2, 3], _l1.Items[key]);
        var stats = chain.GetStats();
        Assert.Equal((0, 1, 0, 1, 0), (stats.Levels[0].Hits, stats.Levels[0].Misses, stats.Levels[0].Errors, stats.Levels[0].BackfillsTo, stats.Levels[0].BackfillsFrom));
        Assert.Equal((0, 1, 0, 1, 0), (stats.Levels[1].Hits, stats.Levels[1].Misses, stats.Levels[1].Errors, stats.Levels[1].BackfillsTo, stats.Levels[1].BackfillsFrom));
        Assert.Equal((1, 0, 0, 0, 2), (stats.Levels[2].Hits, stats.Levels[2].Misses, stats.Levels[2].Errors, stats.Levels[2].BackfillsTo, stats.Levels[2].BackfillsFrom));
        Assert.All(stats.Levels, l => Assert.Equal(0, l.Writes));
        Assert.Equal(0, stats.PendingBackgroundWrites);
    }

    [Fact]
    public async Task GetAsync_HitInFirstLevel_StopsThere()
    {
        await using var chain = Chain();
        var key = TestData.Key();
        _l0.Items[key] = [7];

        Assert.IsType<RemoteReadResult.Hit>(await chain.GetAsync(key, CancellationToken.None));

        Assert.Equal((1, 0, 0), (_l0.Gets, _l1.Gets, _l2.Gets));
    }

    [Fact]
    public async Task GetAsync_ReadOnlyFasterLevel_IsNotBackfilled()
    {
        var readOnly = new FakeRemoteStorage("ro", readOnly: true);
        await using var chain = Chain(WriteErrorPolicy.L0, null, readOnly, _l1, _l2);
        var key = TestData.Key();
        _l2.Items[key] = [1];

        await chain.GetAsync(key, CancellationToken.None);
        await chain.FlushAsync(FlushTimeout);

        Assert.Equal(0, readOnly.Puts);
        Assert.True(_l1.Items.ContainsKey(key));
        Assert.Equal(1, chain.GetStats().Levels[2].BackfillsFrom);
    }

    [Fact]
    public async Task GetAsync_FailingLevel_IsSkippedAndCounted()
    {
        await using var chain = Chain();
        var key = TestData.Key();
        _l0.FailReads = true;
        _l1.Items[key] = [5];

        Assert.IsType<RemoteReadResult.Hit>(await chain.GetAsync(key, CancellationToken.None));
        await chain.FlushAsync(FlushTimeout);

        var stats = chain.GetStats();
        Assert.Equal((1, 0L), (stats.Levels[0].Errors, stats.Levels[0].Misses));
        Assert.Equal(1, stats.Levels[0].BackfillsTo);
    }

    [Fact]
    public async Task GetAsync_EveryLevelFails_IsError_SomeMiss_IsMiss()
    {
        await using var chain = Chain();
        _l0.FailReads = _l1.FailReads = _l2.FailReads = true;
        Assert.IsType<RemoteReadResult.Error>(await chain.GetAsync(TestData.Key(), CancellationToken.None));

        _l1.FailReads = false;
        Assert.IsType<RemoteReadResult.Miss>(await chain.GetAsync(TestData.Key(), CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_ValidatorRejects_ErrorMissNoBackfill()
    {
        await using var chain = Chain(WriteErrorPolicy.L0, v => v.Span[0] != 0xFF);
        var key = TestData.Key();
        _l1.Items[key] = [0xFF, 1];
        _l2.Items[key] = [0x01, 2];

        var read = await chain.GetAsync(key, CancellationToken.None);
        await chain.FlushAsync(FlushTimeout);

        Assert.Equal([0x01, 2], Assert.IsType<RemoteReadResult.Hit>(read).Data);
        var stats = chain.GetStats();
        Assert.Equal((0L, 1L, 1L), (stats.Levels[1].Hits, stats.Levels[1].Errors, stats.Levels[1].Rejected));
        Assert.Equal([0x01, 2], _l0.Items[key]);
        // The corrupt copy in l1 is overwritten by the back-fill of the good one.
        Assert.Equal([0x01, 2], _l1.Items[key]);
    }

    [Fact]
    public async Task GetAsync_ValidatorRejectsEverywhere_IsMissWithoutBackfill()
    {
        await using var chain = Chain(WriteErrorPolicy.L0, _ => false);
        var key = TestData.Key();
        _l2.Items[key] = [1];

        Assert.IsType<RemoteReadResult.Miss>(await chain.GetAsync(key, CancellationToken.None));
        await chain.FlushAsync(FlushTimeout);

        Assert.Equal((0, 0), (_l0.Puts, _l1.Puts));
        Assert.Equal(1, chain.GetStats().Levels[2].Rejected);
    }

    [Fact]
    public async Task PutAsync_PolicyL0_FirstSyncOthersBackground()
    {
        await using var chain = Chain(WriteErrorPolicy.L0);
        _l1.FailWrites = true;
        var key = TestData.Key();

        Assert.IsType<RemoteWriteResult.Written>(await chain.PutAsync(key, new byte[] { 1 }, CancellationToken.None));
        await chain.FlushAsync(FlushTimeout);

        var stats = chain.GetStats();
        Assert.Equal((1, 0, 0, 1, 1, 0), (stats.Levels[0].Writes, stats.Levels[0].WriteErrors, stats.Levels[1].Writes, stats.Levels[1].WriteErrors, stats.Levels[2].Writes, stats.Levels[2].WriteErrors));
        Assert.True(_l2.Items.ContainsKey(key));
    }

    [Fact]
    public async Task PutAsync_PolicyL0_FirstLevelFails_PutFails()
    {
        await using var chain = Chain(WriteErrorPolicy.L0);
        _l0.FailWrites = true;

        Assert.IsType<RemoteWriteResult.Error>(await chain.PutAsync(TestData.Key(), new byte[] { 1 }, CancellationToken.None));
        await chain.FlushAsync(FlushTimeout);

        Assert.Single(_l1.Items);
    }

    [Fact]
    public async Task PutAsync_PolicyAll_AnyFailureFails()
    {
        await using var chain = Chain(WriteErrorPolicy.All);
        Assert.IsType<RemoteWriteResult.Written>(await chain.PutAsync(TestData.Key(), new byte[] { 1 }, CancellationToken.None));
        Assert.Equal((1, 1, 1), (_l0.Items.Count, _l1.Items.Count, _l2.Items.Count));

        _l2.FailWrites = true;
        var failed = Assert.IsType<RemoteWriteResult.Error>(await chain.PutAsync(TestData.Key(), new byte[] { 1 }, CancellationToken.None));

        Assert.Contains("l2", failed.Reason, StringComparison.Ordinal);
        Assert.Equal((2, 1), (chain.GetStats().Levels[0].Writes, chain.GetStats().Levels[2].WriteErrors));
    }

    [Fact]
    public async Task PutAsync_PolicyIgnore_NeverFailsAndWritesInBackground()
    {
        await using var chain = Chain(WriteErrorPolicy.Ignore);
        _l0.FailWrites = _l1.FailWrites = true;
        _l2.Delay = TimeSpan.FromMilliseconds(200);
        var key = TestData.Key();

        Assert.IsType<RemoteWriteResult.Written>(await chain.PutAsync(key, new byte[] { 1 }, CancellationToken.None));
        Assert.False(_l2.Items.ContainsKey(key));
        Assert.True(await chain.FlushAsync(FlushTimeout));

        Assert.True(_l2.Items.ContainsKey(key));
        var stats = chain.GetStats();
        Assert.Equal((1, 1, 1), (stats.Levels[0].WriteErrors, stats.Levels[1].WriteErrors, stats.Levels[2].Writes));
    }

    [Fact]
    public async Task PutAsync_ReadOnlyLevelsSkipped_AllReadOnlyIsReadOnly()
    {
        var ro1 = new FakeRemoteStorage("ro1", readOnly: true);
        var ro2 = new FakeRemoteStorage("ro2", readOnly: true);
        await using (var mixed = Chain(WriteErrorPolicy.All, null, ro1, _l1))
        {
            Assert.IsType<RemoteWriteResult.Written>(await mixed.PutAsync(TestData.Key(), new byte[] { 1 }, CancellationToken.None));
            Assert.Equal(0, ro1.Puts);
            Assert.Equal(RemoteCheckStatus.ReadOnly, (await mixed.CheckAsync(CancellationToken.None)).Status);
        }

        await using var allReadOnly = Chain(WriteErrorPolicy.All, null, ro1, ro2);
        Assert.IsType<RemoteWriteResult.ReadOnly>(await allReadOnly.PutAsync(TestData.Key(), new byte[] { 1 }, CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_CallerBufferReused_BackgroundWritesKeepTheirCopy()
    {
        await using var chain = Chain(WriteErrorPolicy.Ignore);
        _l0.Delay = TimeSpan.FromMilliseconds(100);
        var buffer = new byte[] { 1, 2, 3 };
        var key = TestData.Key();

        await chain.PutAsync(key, buffer, CancellationToken.None);
        buffer[0] = 9;
        await chain.FlushAsync(FlushTimeout);

        Assert.Equal([1, 2, 3], _l0.Items[key]);
    }

    [Fact]
    public async Task GetStats_ResilientLevel_ReportsTimeoutsAndShortCircuits()
    {
        var slow = new FakeRemoteStorage("slow") { Delay = TimeSpan.FromSeconds(30) };
        var resilient = new ResilientRemoteStorage(slow, new ResilienceOptions { GetTimeout = TimeSpan.FromMilliseconds(100), FailureThreshold = 1 });
        await using var chain = new MultiLevelStorage([resilient, _l1]);

        await chain.GetAsync(TestData.Key(), CancellationToken.None);
        await chain.GetAsync(TestData.Key(), CancellationToken.None);

        var level = chain.GetStats().Levels[0];
        Assert.Equal((2L, 1L, 1L), (level.Errors, level.Timeouts, level.ShortCircuits));
    }

    [Fact]
    public async Task PutAsync_TooManyBackgroundWrites_DropsAndCounts()
    {
        _l0.Delay = TimeSpan.FromMilliseconds(300);
        await using var chain = new MultiLevelStorage([_l0, _l1], new MultiLevelOptions { WriteErrorPolicy = WriteErrorPolicy.Ignore, MaxPendingBackgroundWrites = 1 });

        await chain.PutAsync(TestData.Key(), new byte[] { 1 }, CancellationToken.None);
        var stats = chain.GetStats();
        Assert.True(await chain.FlushAsync(FlushTimeout));

        Assert.Equal((1, 1L), (stats.PendingBackgroundWrites, stats.DroppedBackgroundWrites));
        Assert.Equal(0, chain.GetStats().PendingBackgroundWrites);
        Assert.Equal((1, 0), (_l0.Items.Count, _l1.Items.Count));
    }

    [Fact]
    public async Task FlushAsync_StuckWrite_ReturnsFalseAfterTimeout()
    {
        _l0.Delay = TimeSpan.FromSeconds(30);
        await using var chain = new MultiLevelStorage([_l0], new MultiLevelOptions { WriteErrorPolicy = WriteErrorPolicy.Ignore, BackgroundWriteTimeout = TimeSpan.FromSeconds(1) });

        await chain.PutAsync(TestData.Key(), new byte[] { 1 }, CancellationToken.None);

        Assert.False(await chain.FlushAsync(TimeSpan.FromMilliseconds(100)));
        Assert.True(await chain.FlushAsync(FlushTimeout));
        Assert.Equal(1, chain.GetStats().Levels[0].WriteErrors);
    }

    [Fact]
    public async Task GetStats_Latency_IsMeasured()
    {
        await using var chain = Chain();
        _l0.Delay = TimeSpan.FromMilliseconds(50);
        var key = TestData.Key();

        await chain.PutAsync(key, new byte[] { 1 }, CancellationToken.None);
        await chain.GetAsync(key, CancellationToken.None);

        var level = chain.GetStats().Levels[0];
        Assert.InRange(level.AverageHitLatencyMs, 40, 5000);
        Assert.InRange(level.AverageWriteLatencyMs, 40, 5000);
        Assert.Equal(1.0, level.HitRate);
    }
}
