using System.Diagnostics;
using System.Text.RegularExpressions;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Admin;

/// <summary>Spec 14: the admin verbs behave like sccache's.</summary>
public sealed partial class AdminCommandTests
{
    [Theory]
    [InlineData("-V")]
    [InlineData("--version")]
    public void Version_Flag_PrintsVersion(string flag)
    {
        using var env = new TestEnvironment();
        var r = env.SharpCache(flag);
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Matches(VersionPattern(), r.StdoutText);
    }

    [Fact]
    public void Help_Flag_ExitsZeroWithUsage()
    {
        using var env = new TestEnvironment();
        var r = env.SharpCache("--help");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.Contains("--show-stats", r.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFlag_Given_ExitsTwoWithMessage()
    {
        using var env = new TestEnvironment();
        var r = env.SharpCache("--definitely-not-a-flag");
        Assert.True(r.ExitCode == 2, r.Describe());
        Assert.False(string.IsNullOrWhiteSpace(r.StderrText), "expected a usage error on stderr");
    }

    [Fact]
    public void StopServer_NoDaemon_FailsWithMessage()
    {
        using var env = new TestEnvironment();
        var r = env.SharpCache("--stop-server");
        Assert.True(r.ExitCode != 0, "--stop-server with no daemon must fail: " + r.Describe());
        Assert.False(string.IsNullOrWhiteSpace(r.StderrText), "expected a message on stderr");
    }

    [Fact]
    public void ShowStats_NoDaemon_PrintsZeroedStatsWithoutStartingOne()
    {
        using var env = new TestEnvironment();
        var stats = env.Stats();
        Assert.Equal(0, stats.CompileRequests);
        Assert.Contains(env.CacheDir, stats.Json, StringComparison.Ordinal);
        Assert.Empty(DaemonProcesses.Daemons(env.SocketPath));
    }

    [Fact]
    public void StartServer_ThenStatsAndStop_Works()
    {
        using var env = new TestEnvironment();
        var start = env.SharpCache("--start-server");
        Assert.True(start.ExitCode == 0, start.Describe() + env.DaemonLogTail());
        Assert.Single(DaemonProcesses.Daemons(env.SocketPath));

        var text = env.SharpCache("-s");
        Assert.True(text.ExitCode == 0, text.Describe());
        Assert.Contains("Compile requests", text.StdoutText, StringComparison.Ordinal);
        var json = env.Stats();
        Assert.Equal(0, json.CompileRequests);
        Assert.Contains(env.CacheDir, json.Json, StringComparison.Ordinal);

        var stop = env.SharpCache("--stop-server");
        Assert.True(stop.ExitCode == 0, stop.Describe());
        Assert.Contains("Compile requests", stop.StdoutText, StringComparison.Ordinal);
        WaitUntil(() => DaemonProcesses.Daemons(env.SocketPath).Count == 0, TimeSpan.FromSeconds(10), "daemon still running after --stop-server");
    }

    [Fact]
    public void ZeroStats_AfterCompiles_ResetsCounters()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        env.WaitForStats(1);
        var zero = env.SharpCache("-z");
        Assert.True(zero.ExitCode == 0, zero.Describe());
        var stats = env.Stats();
        Assert.True(stats.CompileRequests == 0 && stats.CacheMisses == 0, "after -z:\n" + stats.Json);
        Assert.Equal(0, env.Cached("gcc", "-c", "src.c", "-o", "out.o").ExitCode);
        var after = env.WaitForStats(1);
        Assert.True(after.CacheHits == 1 && after.CompileRequests == 1, "counting resumes after -z:\n" + after.Json);
    }

    [Fact]
    public void Compile_FirstCompile_AutoStartsDaemonThatOutlivesTheClient()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        // ProcessRunner also fails the run if the daemon kept the client's stdout/stderr pipes open.
        var r = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
        Assert.True(r.ExitCode == 0, r.Describe());
        WaitUntil(() => DaemonProcesses.Daemons(env.SocketPath).Count == 1, TimeSpan.FromSeconds(10), "no daemon was auto-started by the first compile");
        Assert.True(env.WaitForStats(1).CacheMisses == 1);
    }

    [Fact]
    public void Daemon_IdleTimeout_ExitsByItself()
    {
        using var env = new TestEnvironment();
        env.Env["SCCACHE_IDLE_TIMEOUT"] = "2";
        Assert.Equal(0, env.SharpCache("--start-server").ExitCode);
        Assert.Single(DaemonProcesses.Daemons(env.SocketPath));
        WaitUntil(() => DaemonProcesses.Daemons(env.SocketPath).Count == 0, TimeSpan.FromSeconds(15), "daemon ignored SCCACHE_IDLE_TIMEOUT=2");
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan timeout, string message)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < timeout, message);
            Thread.Sleep(100);
        }
    }

    [GeneratedRegex(@"\d+\.\d+\.\d+")]
    private static partial Regex VersionPattern();
}
