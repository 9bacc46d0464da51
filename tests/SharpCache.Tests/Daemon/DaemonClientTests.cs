using System.Diagnostics;
using SharpCache.Daemon;
using SharpCache.Protocol;

namespace SharpCache.Tests.Daemon;

public sealed class DaemonClientTests
{
    private static readonly CompileRecord Record = new()
    {
        Outcome = CompileOutcome.NotCacheable,
        Language = "C/C++",
        NotCacheableReason = "multiple input files",
    };

    [Fact]
    public async Task RecordCompile_AgainstInProcessServer_IsCounted()
    {
        await using var daemon = await TestDaemon.StartAsync();
        DaemonClient.RecordCompile(daemon.Options, Record);
        await TestDaemon.WaitUntilAsync(() => daemon.Server!.Stats.Snapshot().CompileRequests == 1);
        var stats = daemon.GetStats().Stats;
        Assert.Equal(1, stats.RequestsNotCacheable);
        Assert.Equal(1, stats.NotCached["multiple input files"]);
    }

    [Fact]
    public async Task RecordCompile_NoDaemon_CallsLauncherThenGivesUpWithinBudget()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        var launches = 0;
        var clock = Stopwatch.StartNew();
        var sent = DaemonClient.TryRecordCompile(daemon.Options, Record, _ => { launches++; return true; }, TimeSpan.FromMilliseconds(300));
        Assert.False(sent);
        Assert.Equal(1, launches);
        Assert.InRange(clock.ElapsedMilliseconds, 250, 3000);
    }

    [Fact]
    public async Task RecordCompile_LauncherStartsServer_RecordArrives()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        DaemonServer? started = null;
        var sent = DaemonClient.TryRecordCompile(daemon.Options, Record, options =>
        {
            started = new DaemonServer(options);
            return started.StartAsync(CancellationToken.None).GetAwaiter().GetResult() == DaemonStartResult.Started;
        }, TimeSpan.FromSeconds(2));
        Assert.True(sent);
        await using var server = started!;
        await TestDaemon.WaitUntilAsync(() => server.Stats.Snapshot().CompileRequests == 1);
    }

    [Fact]
    public async Task Request_NoDaemon_ReturnsNotRunning()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        Assert.Equal(DaemonRequestStatus.NotRunning, DaemonClient.Request(daemon.Options, MessageType.GetStats, null, TestDaemon.Timeout, out var response));
        Assert.Null(response);
    }
}
