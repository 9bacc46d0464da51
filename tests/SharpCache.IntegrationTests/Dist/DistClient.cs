using System.Diagnostics;
using System.Text.Json;
using SharpCache.IntegrationTests.Infrastructure;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// A <see cref="TestEnvironment"/> whose client config (<c>SCCACHE_CONF</c>) has a <c>[dist]</c> section:
/// its own toolchain cache_dir, token auth, daemon warnings in <c>SCCACHE_ERROR_LOG</c>. Dispose stops the daemon.
/// </summary>
public sealed class DistClient : IDisposable
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);

    private readonly List<Process> _builds = [];

    /// <param name="distKeys">More keys of the <c>[dist]</c> table (<paramref name="extraConfig"/> follows <c>[dist.auth]</c>).</param>
    public DistClient(string schedulerUrl, string token = DistCluster.Token, string extraConfig = "", string distKeys = "")
    {
        Env = new TestEnvironment { Timeout = BuildTimeout };
        Env.Env["SCCACHE_LOG"] = "info";
        Env.Env["SCCACHE_CONF"] = Path.Combine(Env.Root, "client.toml");
        File.WriteAllText(Env.Env["SCCACHE_CONF"]!, $"""
            [dist]
            scheduler_url = "{schedulerUrl}"
            cache_dir = "{Path.Combine(Env.Root, "dist-client")}"
            {distKeys}
            [dist.auth]
            type = "token"
            token = "{token}"
            {extraConfig}
            """);
    }

    public TestEnvironment Env { get; }

    /// <summary>A fresh copy of lua under the test's directory; returns its <c>src</c>.</summary>
    public string CopyLua(string name = "lua") => LuaSource.CopyTo(Path.Combine(Env.Root, name));

    /// <summary>Starts <c>make -C src -j4 linux CC="sharpcache gcc"</c> (or another compiler) without waiting; owned (and killed if still running) by this client.</summary>
    public Process StartBuild(string src, string compiler = "gcc")
    {
        var build = Env.Start(src, "make", ["-C", src, "-j4", "linux", $"CC={TestEnvironment.Binary} {compiler}"]);
        _builds.Add(build);
        return build;
    }

    /// <summary>Runs the lua build to the end (bounded) and asserts it succeeded; returns how long it took.</summary>
    public TimeSpan BuildLua(string src, string compiler = "gcc")
    {
        var watch = Stopwatch.StartNew();
        var r = Env.RunIn(src, "make", ["-C", src, "-j4", "linux", $"CC={TestEnvironment.Binary} {compiler}"], timeout: BuildTimeout);
        ClientMessages = string.Join("\n", r.StderrText.Split('\n').Where(l => l.StartsWith("sharpcache:", StringComparison.Ordinal)));
        Assert.True(r.ExitCode == 0, "lua build through sharpcache failed: " + r.Describe() + Env.DaemonLogTail());
        return watch.Elapsed;
    }

    /// <summary>
    /// Compiles with <paramref name="compiler"/> itself (asserting it succeeds), keeps the bytes of <paramref name="outputs"/>
    /// and deletes them, then runs the same command through sharpcache in the same directory: an object can name its side
    /// files by their paths and its debug info the directory, so both runs write the same paths.
    /// </summary>
    public (ProcessResult Local, byte[][] LocalOutputs, ProcessResult Cached) CompileLocallyThenCached(string compiler, string[] arguments, params string[] outputs)
    {
        var local = Env.Direct(compiler, arguments);
        Assert.True(local.ExitCode == 0, local.Describe());
        var bytes = outputs.Select(Env.Read).ToArray();
        foreach (var output in outputs)
        {
            File.Delete(Env.PathOf(output));
        }

        return (local, bytes, Env.Cached(compiler, arguments));
    }

    /// <summary>What the clients of the last <see cref="BuildLua"/> said on stderr (<c>SCCACHE_LOG</c> is set).</summary>
    public string ClientMessages { get; private set; } = "";

    /// <summary>Waits for a started build (bounded) and asserts it succeeded.</summary>
    public void AssertFinished(Process build)
    {
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(BuildTimeout))
        {
            build.Kill(entireProcessTree: true);
            Assert.Fail("the lua build did not finish in time" + Env.DaemonLogTail());
        }

        build.WaitForExit();
        Assert.True(build.ExitCode == 0, $"lua build failed (exit {build.ExitCode}):\n{stdout.Result}\n{stderr.Result}{Env.DaemonLogTail()}");
    }

    /// <summary>The daemon's dist counters from <c>-s --stats-format json</c>.</summary>
    public DistStats Stats()
    {
        var r = Env.SharpCache("--show-stats", "--stats-format", "json");
        Assert.True(r.ExitCode == 0, r.Describe());
        using var doc = JsonDocument.Parse(r.StdoutText);
        var stats = doc.RootElement.GetProperty("stats");
        var perServer = new Dictionary<string, long>(StringComparer.Ordinal);
        if (stats.TryGetProperty("dist_compiles", out var compiles) && compiles.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in compiles.EnumerateObject())
            {
                perServer[p.Name] = p.Value.GetInt64();
            }
        }

        return new DistStats(perServer, stats.GetProperty("dist_errors").GetInt64(), new StatsSnapshot(r.StdoutText));
    }

    /// <summary>Polls the stats until <paramref name="done"/> holds (bounded); the last stats either way.</summary>
    public DistStats WaitForStats(Func<DistStats, bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var stats = Stats();
            if (done(stats) || deadline.Elapsed > timeout)
            {
                return stats;
            }

            Thread.Sleep(100);
        }
    }

    public string DaemonLog => File.Exists(Env.ErrorLog) ? File.ReadAllText(Env.ErrorLog) : "";

    /// <summary>Kills a started build still running (a failed test), then stops the daemon.</summary>
    public void Dispose()
    {
        foreach (var build in _builds)
        {
            try
            {
                if (!build.HasExited)
                {
                    build.Kill(entireProcessTree: true);
                    build.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            build.Dispose();
        }

        Env.Dispose();
    }
}

/// <summary>Successful distributed compiles per build server, and failed ones.</summary>
public sealed record DistStats(IReadOnlyDictionary<string, long> Compiles, long Errors, StatsSnapshot All)
{
    public long TotalCompiles => Compiles.Values.Sum();

    /// <summary>The dist counters first (the full JSON is long), then the JSON.</summary>
    public override string ToString() =>
        $"dist_compiles {{{string.Join(", ", Compiles.Select(c => c.Key + ": " + c.Value))}}} dist_errors {Errors}\n{All.Json}";
}
