using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// Packaged toolchains through a real scheduler and build server. <c>gcc -g -gsplit-dwarf</c>: the driver runs
/// objcopy after the assembler (<c>--extract-dwo</c>, <c>--strip-dwo</c>), which the toolchain must carry; the object and
/// the <c>.dwo</c> come back and equal a local compile's (before objcopy was packaged the job failed on the server and every
/// such compile ran on the client). gcc and g++ share one archive, clang and clang++ too: a build of C and C++ uploads
/// one toolchain.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistPackagedToolchainTests
{
    private const string Source = "#include <stdio.h>\nstruct point { int x, y; };\nint show(struct point p)\n{\n  return printf(\"%d %d\\n\", p.x, p.y);\n}\n";

    private const string CxxSource = "#include <string>\nstd::string twice(const std::string& s) { return s + s; }\n";

    [Fact]
    public async Task SplitDwarf_Distributed_ObjectAndDwoAsLocal()
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Write("p.c", Source);
        string[] arguments = ["-c", "-O2", "-g", "-gsplit-dwarf", "p.c", "-o", "p.o"];

        var (_, local, remote) = client.CompileLocallyThenCached("gcc", arguments, "p.o", "p.dwo");

        var context = $"remote: {remote.Describe()}{client.Env.DaemonLogTail()}{cluster.Logs()}";
        Assert.True(remote.ExitCode == 0, context);
        Assert.DoesNotContain("not distributed", remote.StderrText, StringComparison.Ordinal);
        Assert.Equal(local[0], client.Env.Read("p.o"));
        Assert.Equal(local[1], client.Env.Read("p.dwo"));
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 1 && stats.Errors == 0 && stats.Compiles[$"127.0.0.1:{port}"] == 1, stats + context);
    }

    [Theory]
    [InlineData("gcc", "g++")]
    [InlineData("clang", "clang++")]
    public async Task CAndCxx_OneToolchainOnTheServer_BothDistributed(string c, string cxx)
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Write("p.c", Source);
        client.Env.Write("t.cpp", CxxSource);

        var cRun = client.Env.Cached(c, "-c", "-O2", "p.c", "-o", "p.o");
        var cxxRun = client.Env.Cached(cxx, "-c", "-O2", "t.cpp", "-o", "t.o");

        var context = $"{c}: {cRun.Describe()}\n{cxx}: {cxxRun.Describe()}{client.Env.DaemonLogTail()}{cluster.Logs()}";
        Assert.True(cRun.ExitCode == 0 && cxxRun.ExitCode == 0, context);
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 2, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 2 && stats.Errors == 0, stats + context);
        var toolchains = Directory.GetDirectories(Path.Combine(cluster.Root, "a", "cache", "toolchains"));
        Assert.True(toolchains.Length == 1, string.Join("\n", toolchains) + context);
        Assert.Equal(client.Env.Read("t.o"), Compiled(client, cxx, "t.cpp"));
    }

    /// <summary>A local compile's object, written beside and read back.</summary>
    private static byte[] Compiled(DistClient client, string compiler, string source)
    {
        var local = client.Env.Direct(compiler, "-c", "-O2", source, "-o", "local.o");
        Assert.True(local.ExitCode == 0, local.Describe());
        return client.Env.Read("local.o");
    }
}
