using System.Diagnostics;
using SharpCache.IntegrationTests.Infrastructure;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Remote;

/// <summary>
/// Shared cache tiers end to end: the published sharpcache (and the sharpcache-daemon it starts)
/// against real Redis, Memcached, nginx WebDAV, s3rver and azurite on loopback. Each "machine" is
/// its own cache directory, socket and daemon.
/// </summary>
[Collection(RemoteCollection.Name)]
public sealed class RemoteTierTests
{
    private static readonly string[] CompileArgs = ["-c", "src.c", "-o", "out.o", "-O2"];

    [Theory]
    [MemberData(nameof(RemoteBackend.Names), MemberType = typeof(RemoteBackend))]
    public async Task TwoMachines_ShareHitsThroughTheBackend_WithDirectModeHits(string backend)
    {
        await using var server = await RemoteBackend.StartAsync(backend);
        using var a = Machine(server.Env);
        using var b = Machine(server.Env);
        var expected = Reference(a);

        Assert.True(a.Cached("gcc", CompileArgs).ExitCode == 0, a.DaemonLogTail());
        WaitForLevel(a, backend, "writes", 2);

        // The second machine has an empty local cache and no disk level: both the manifest and
        // the entry come from the backend, and the hit runs no compiler at all (direct mode).
        var hit = b.CachedExplained("gcc", CompileArgs);
        Assert.True(hit.IsDirectHit, $"expected a direct-mode hit from {backend}:\n{hit.Explain}\n{hit.Result.Describe()}{b.DaemonLogTail()}");
        Assert.Equal(expected, b.Read("out.o"));
        var stats = b.WaitForStats(1);
        Assert.True(stats.CacheHits == 1 && stats.Level(backend, "hits") >= 2, $"machine b:\n{stats.Json}");
    }

    [Theory]
    [MemberData(nameof(RemoteBackend.Names), MemberType = typeof(RemoteBackend))]
    public async Task ReadOnlyMachine_NeverWrites(string backend)
    {
        await using var server = await RemoteBackend.StartAsync(backend);
        using var reader = Machine(server.Env, (server.RwModeVariable, "READ_ONLY"));
        using var writer = Machine(server.Env);
        var expected = Reference(reader);

        Assert.True(reader.Cached("gcc", CompileArgs).ExitCode == 0, reader.DaemonLogTail());
        Assert.Equal(expected, reader.Read("out.o"));
        var readerStats = reader.WaitForStats(1);
        Assert.True(readerStats.Level(backend, "writes") == 0, readerStats.Json);

        // Had the read-only machine written anything, this one would hit.
        Thread.Sleep(300);
        Assert.True(writer.Cached("gcc", CompileArgs).ExitCode == 0);
        var writerStats = writer.WaitForStats(1);
        Assert.True(writerStats.CacheMisses == 1 && writerStats.CacheHits == 0, "read-only machine wrote to " + backend + ":\n" + writerStats.Json);
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("webdav")]
    [InlineData("s3")]
    [InlineData("azure")]
    public async Task WrongCredentials_CompileLocallyAndCountErrors(string backend)
    {
        await using var server = await RemoteBackend.StartAsync(backend, withAuth: true);
        using var machine = Machine(server.Env, [.. server.WrongCredentials().Select(p => (p.Key, p.Value))]);
        var expected = Reference(machine);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            machine.Delete("out.o");
            var run = machine.Cached("gcc", CompileArgs);
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Equal(expected, machine.Read("out.o"));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"3 compiles took {clock.Elapsed} against a backend refusing credentials");
        var stats = machine.WaitForStats(3);
        Assert.True(stats.Level(backend, "errors") + stats.Level(backend, "write_errors") + stats.Level(backend, "short_circuits") > 0, stats.Json);
        Assert.Equal(0, stats.CacheHits);
    }

    [Fact]
    public async Task MultiLevel_S3OnlyHit_BackfillsRedisAndDisk()
    {
        await using var redis = await RemoteBackend.StartAsync("redis");
        await using var s3 = await RemoteBackend.StartAsync("s3");
        var chain = new Dictionary<string, string>(redis.Env);
        foreach (var (k, v) in s3.Env)
        {
            chain[k] = v;
        }

        chain["SCCACHE_MULTILEVEL_CHAIN"] = "disk,redis,s3";

        // Fill S3 alone (a machine configured with S3 only).
        using var seeder = Machine(s3.Env);
        var expected = Reference(seeder);
        Assert.True(seeder.Cached("gcc", CompileArgs).ExitCode == 0);
        WaitForLevel(seeder, "s3", "writes", 2);

        using var machine = Machine(chain);
        var first = machine.CachedExplained("gcc", CompileArgs);
        Assert.True(first.IsDirectHit, first.Explain + first.Result.Describe() + machine.DaemonLogTail());
        Assert.Equal(expected, machine.Read("out.o"));
        var stats = WaitForLevel(machine, "redis", "backfills_to", 2);
        Assert.Equal(["disk", "redis", "s3"], stats.LevelNames);
        Assert.True(stats.Level("disk", "misses") == 1 && stats.Level("disk", "hits") == 0, stats.Json);
        Assert.True(stats.Level("redis", "misses") == 2 && stats.Level("redis", "hits") == 0, stats.Json);
        Assert.True(stats.Level("s3", "hits") == 2 && stats.Level("s3", "backfills_from") == 2, stats.Json);

        // Now served by the local disk (back-filled by the client), no daemon lookup at all.
        machine.Delete("out.o");
        var second = machine.CachedExplained("gcc", CompileArgs);
        Assert.True(second.IsDirectHit, second.Explain);
        Assert.Equal(expected, machine.Read("out.o"));
        var after = machine.WaitForStats(2);
        Assert.True(after.Level("disk", "hits") == 1 && after.Level("s3", "hits") == 2, after.Json);

        // And a third machine with an empty disk is served by the back-filled Redis.
        using var third = Machine(chain);
        Assert.True(third.CachedExplained("gcc", CompileArgs).IsDirectHit);
        var thirdStats = third.WaitForStats(1);
        Assert.True(thirdStats.Level("redis", "hits") == 2 && thirdStats.Level("s3", "hits") == 0, thirdStats.Json);
    }

    [Fact]
    public async Task RedisKilledMidBuild_BuildSucceedsInBoundedTime()
    {
        await using var server = await RemoteBackend.StartAsync("redis");
        using var machine = Machine(server.Env);
        var files = WriteManySources(machine, 12);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < files.Count; i++)
        {
            if (i == 4)
            {
                server.Kill();
            }

            var run = machine.Cached("gcc", "-c", files[i], "-o", files[i] + ".o");
            Assert.True(run.ExitCode == 0, run.Describe() + machine.DaemonLogTail());
            Assert.True(File.Exists(machine.PathOf(files[i] + ".o")));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"build took {clock.Elapsed} with Redis killed mid-build");
        var stats = machine.WaitForStats(files.Count);
        Assert.True(stats.Level("redis", "errors") + stats.Level("redis", "short_circuits") + stats.Level("redis", "write_errors") > 0, stats.Json);
    }

    [Fact]
    public async Task StalledRedis_BuildSucceedsInBoundedTime()
    {
        await using var stall = StallProxy.Start();
        using var machine = Machine(new() { ["SCCACHE_REDIS_ENDPOINT"] = $"redis://{StallProxy.Host}:{stall.Port}" });
        var files = WriteManySources(machine, 8);
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var run = machine.Cached("gcc", "-c", file, "-o", file + ".o");
            Assert.True(run.ExitCode == 0, run.Describe() + machine.DaemonLogTail());
        }

        // Timeouts are paid a bounded number of times, then the circuit breaker skips the tier.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"build took {clock.Elapsed} against a stalled Redis");
        var stats = machine.WaitForStats(files.Count);
        Assert.True(stats.Level("redis", "short_circuits") > 0 || stats.Level("redis", "timeouts") > 0, stats.Json);
    }

    [Fact]
    public async Task ConfigFile_SelectsTheChain_AndABrokenFileNeverBreaksTheBuild()
    {
        await using var server = await RemoteBackend.StartAsync("redis");
        using var a = Machine([]);
        using var b = Machine([]);
        var endpoint = server.Env["SCCACHE_REDIS_ENDPOINT"];
        foreach (var m in new[] { a, b })
        {
            m.Env["SCCACHE_CONF"] = m.Write("sccache.toml", $"[cache.redis]\nendpoint = \"{endpoint}\"\nkey_prefix = \"conf\"\n\n[cache.multilevel]\nchain = [\"disk\", \"redis\"]\n");
        }

        var expected = Reference(a);
        Assert.Equal(0, a.Cached("gcc", CompileArgs).ExitCode);
        WaitForLevel(a, "redis", "writes", 2);
        Assert.True(b.CachedExplained("gcc", CompileArgs).IsDirectHit);
        Assert.Equal(expected, b.Read("out.o"));
        Assert.Equal(["disk", "redis"], b.WaitForStats(1).LevelNames);

        // A typo in the file: the compile runs (and says why the config was ignored), admin verbs exit 2.
        using var broken = Machine([]);
        broken.Env["SCCACHE_CONF"] = broken.Write("sccache.toml", "[cache.redis]\nendpont = \"x\"\n");
        var run = broken.Cached("gcc", CompileArgs);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, broken.Read("out.o"));
        Assert.Contains("cache.redis.endpont", run.StderrText, StringComparison.Ordinal);
        var stats = broken.SharpCache("-s");
        Assert.Equal(2, stats.ExitCode);
        Assert.Contains("sccache.toml", stats.StderrText, StringComparison.Ordinal);
    }

    [Fact]
    public void RedisDownAtStart_BuildSucceedsInBoundedTime()
    {
        // Nothing listens on the port: connects are refused at once, the breaker opens, the build goes on.
        var port = SharpCache.TestServers.FreePort.Next();
        using var machine = Machine(new() { ["SCCACHE_REDIS_ENDPOINT"] = $"redis://127.0.0.1:{port}" });
        var files = WriteManySources(machine, 6);
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var run = machine.Cached("gcc", "-c", file, "-o", file + ".o");
            Assert.True(run.ExitCode == 0, run.Describe() + machine.DaemonLogTail());
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"build took {clock.Elapsed} with Redis down");
        var stats = machine.WaitForStats(files.Count);
        Assert.True(stats.CacheMisses == files.Count, stats.Json);
        Assert.True(stats.Level("redis", "errors") + stats.Level("redis", "short_circuits") > 0, stats.Json);
    }

    [Fact]
    public async Task HungDaemon_CostsOneTimeoutThenCompilesGoOnWithoutIt()
    {
        await using var server = await RemoteBackend.StartAsync("redis");
        using var machine = Machine(server.Env);
        Assert.Equal(0, machine.Cached("gcc", CompileArgs).ExitCode);
        var daemons = DaemonProcesses.Daemons(machine.SocketPath);
        Assert.NotEmpty(daemons);
        var files = WriteManySources(machine, 5);
        var clock = Stopwatch.StartNew();
        Signal(daemons, "STOP");
        try
        {
            foreach (var file in files)
            {
                var run = machine.Cached("gcc", "-c", file, "-o", file + ".o");
                Assert.True(run.ExitCode == 0, run.Describe());
            }
        }
        finally
        {
            Signal(daemons, "CONT");
        }

        // One lookup waits for the daemon (10 s), the others see the marker and skip the tiers.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"5 compiles took {clock.Elapsed} with a stopped daemon");
    }

    private static void Signal(IEnumerable<int> pids, string signal)
    {
        foreach (var pid in pids)
        {
            using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    internal static TestEnvironment Machine(Dictionary<string, string> env, params (string Key, string Value)[] extra)
    {
        var machine = new TestEnvironment();
        foreach (var (k, v) in env)
        {
            machine.Env[k] = v;
        }

        foreach (var (k, v) in extra)
        {
            machine.Env[k] = v;
        }

        machine.Write("src.c", Sources.C);
        machine.Write("config.h", Sources.Config);
        return machine;
    }

    /// <summary>The uncached object for <see cref="CompileArgs"/> (then removed).</summary>
    internal static byte[] Reference(TestEnvironment env)
    {
        var r = env.Direct("gcc", CompileArgs);
        Assert.True(r.ExitCode == 0, r.Describe());
        var bytes = env.Read("out.o");
        env.Delete("out.o");
        return bytes;
    }

    internal static StatsSnapshot WaitForLevel(TestEnvironment env, string level, string counter, long atLeast)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = env.Stats();
            if (stats.Level(level, counter) >= atLeast)
            {
                return stats;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail($"{level}.{counter} never reached {atLeast}:\n{stats.Json}{env.DaemonLogTail()}");
            }

            Thread.Sleep(100);
        }
    }

    private static List<string> WriteManySources(TestEnvironment env, int count)
    {
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = $"unit{i}.c";
            env.Write(name, $"int unit{i}(int x) {{ return x * {i + 1}; }}\n");
            files.Add(name);
        }

        return files;
    }
}

/// <summary>The remote-tier tests start several servers and daemons each: one at a time on 2 cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RemoteCollection
{
    public const string Name = "remote tiers";
}
