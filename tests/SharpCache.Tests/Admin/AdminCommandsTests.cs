using System.Text.Json;
using SharpCache.Admin;
using SharpCache.Daemon;
using SharpCache.Protocol;
using SharpCache.Tests.Daemon;

namespace SharpCache.Tests.Admin;

public sealed class AdminCommandsTests
{
    private static readonly Func<Configuration.SharpCacheOptions, bool> NoLaunch = _ => false;

    [Fact]
    public async Task ShowStats_NoDaemon_PrintsZeroedStats_DoesNotStartOne()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        var (code, stdout, _) = Run(daemon, ["-s"], _ => throw new InvalidOperationException("must not start a daemon"));
        Assert.Equal(0, code);
        Assert.Contains("Compile requests                      0", stdout, StringComparison.Ordinal);
        Assert.Contains("Cache location                  Local disk: \"" + daemon.Options.CacheDirectory + "\"", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-s", "--stats-format", "json")]
    [InlineData("--stats-format=json", "--show-stats")]
    [InlineData("--stats-format", "json", "-s")]
    public async Task ShowStats_Json_AgainstDaemon(params string[] args)
    {
        await using var daemon = await TestDaemon.StartAsync();
        daemon.Server!.Stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheHit, Language = "C/C++", AdvancedLabel = "c [gcc]" });
        var (code, stdout, _) = Run(daemon, args, NoLaunch);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(1, doc.RootElement.GetProperty("stats").GetProperty("compile_requests").GetInt64());
    }

    [Fact]
    public async Task ShowAdvStats_ShowsCompilerLabels()
    {
        await using var daemon = await TestDaemon.StartAsync();
        daemon.Server!.Stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheMiss, Language = "C/C++", AdvancedLabel = "c++ [clang]" });
        var (code, stdout, _) = Run(daemon, ["--show-adv-stats"], NoLaunch);
        Assert.Equal(0, code);
        Assert.Contains("Cache misses (c++ [clang])", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroStats_AgainstDaemon_ZeroesAndSaysSo()
    {
        await using var daemon = await TestDaemon.StartAsync();
        daemon.Server!.Stats.Record(new CompileRecord { Outcome = CompileOutcome.NotCompile });
        var (code, _, stderr) = Run(daemon, ["-z"], NoLaunch);
        Assert.Equal(0, code);
        Assert.Contains("Statistics zeroed.", stderr, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Server.Stats.Snapshot().CompileRequests);
    }

    [Fact]
    public async Task ZeroStats_NoDaemon_StartsOne()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        DaemonServer? started = null;
        var (code, _, _) = Run(daemon, ["--zero-stats"], options =>
        {
            started = new DaemonServer(options);
            return started.StartAsync(CancellationToken.None).GetAwaiter().GetResult() == DaemonStartResult.Started;
        });
        Assert.Equal(0, code);
        Assert.NotNull(started);
        await started.DisposeAsync();
    }

    [Fact]
    public async Task StopServer_PrintsFinalStats_AndStops()
    {
        await using var daemon = await TestDaemon.StartAsync();
        daemon.Server!.Stats.Record(new CompileRecord { Outcome = CompileOutcome.NotCompile });
        var (code, stdout, _) = Run(daemon, ["--stop-server"], NoLaunch);
        Assert.Equal(0, code);
        Assert.Contains("Compile requests                      1", stdout, StringComparison.Ordinal);
        await daemon.Server.Completion.WaitAsync(TestDaemon.Timeout);
    }

    [Fact]
    public async Task StopServer_NoDaemon_Exit2()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        var (code, _, stderr) = Run(daemon, ["--stop-server"], NoLaunch);
        Assert.Equal(2, code);
        Assert.Contains("couldn't connect to server", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartServer_AlreadyRunning_Exit0()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var (code, stdout, _) = Run(daemon, ["--start-server"], _ => throw new InvalidOperationException("must not start a second daemon"));
        Assert.Equal(0, code);
        Assert.Contains("already running", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartServer_NoDaemon_LaunchesAndWaitsForIt()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        DaemonServer? started = null;
        var (code, stdout, _) = Run(daemon, ["--start-server"], options =>
        {
            started = new DaemonServer(options);
            _ = started.StartAsync(CancellationToken.None);
            return true;
        });
        Assert.Equal(0, code);
        Assert.Contains("sharpcache: Starting the server...", stdout, StringComparison.Ordinal);
        Assert.Contains("Listening on address", stdout, StringComparison.Ordinal);
        await started!.DisposeAsync();
    }

    [Theory]
    [InlineData(new[] { "-V" }, 0, "sharpcache 0.1.0")]
    [InlineData(new[] { "--version" }, 0, "sharpcache 0.1.0")]
    [InlineData(new[] { "--dist-status" }, 0, "{\"Disabled\":\"disabled\"}")]
    [InlineData(new[] { "--help" }, 0, "SCCACHE_IDLE_TIMEOUT")]
    public async Task SimpleVerbs_PrintToStdout(string[] args, int expectedCode, string expected)
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        var (code, stdout, _) = Run(daemon, args, NoLaunch);
        Assert.Equal(expectedCode, code);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "-s", "-z" }, "cannot be used with another action")]
    [InlineData(new[] { "--stats-format", "xml", "-s" }, "invalid value 'xml'")]
    [InlineData(new[] { "--stats-format" }, "needs a value")]
    [InlineData(new[] { "--dist-auth" }, "needs sharpcache-daemon installed next to sharpcache")]
    public async Task InvalidOrUnsupported_Exit2WithMessage(string[] args, string expected)
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        var (code, _, stderr) = Run(daemon, args, NoLaunch);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Stdout, string Stderr) Run(TestDaemon daemon, string[] args, Func<Configuration.SharpCacheOptions, bool> launcher)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = AdminCommands.Run(args, daemon.Options, stdout, stderr, launcher);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
