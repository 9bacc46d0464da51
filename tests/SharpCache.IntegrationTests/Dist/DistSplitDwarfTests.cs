using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// <c>gcc -g -gsplit-dwarf</c> through a real scheduler and build server: the driver runs objcopy after the assembler
/// (<c>--extract-dwo</c>, <c>--strip-dwo</c>), which the packaged toolchain must carry; the object and the <c>.dwo</c>
/// come back and equal a local compile's. Before objcopy was packaged the job failed on the server and every such
/// compile ran on the client.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistSplitDwarfTests
{
    private const string Source = "#include <stdio.h>\nstruct point { int x, y; };\nint show(struct point p)\n{\n  return printf(\"%d %d\\n\", p.x, p.y);\n}\n";

    [Fact]
    public async Task SplitDwarf_Distributed_ObjectAndDwoAsLocal()
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Write("p.c", Source);
        string[] arguments = ["-c", "-O2", "-g", "-gsplit-dwarf", "p.c", "-o", "p.o"];

        // The same output names both times: the object names its .dwo.
        var local = client.Env.Direct("gcc", arguments);
        Assert.True(local.ExitCode == 0, local.Describe());
        var (localObject, localDwo) = (client.Env.Read("p.o"), client.Env.Read("p.dwo"));
        File.Delete(client.Env.PathOf("p.o"));
        File.Delete(client.Env.PathOf("p.dwo"));

        var remote = client.Env.Cached("gcc", arguments);

        var context = $"remote: {remote.Describe()}{client.Env.DaemonLogTail()}{cluster.Logs()}";
        Assert.True(remote.ExitCode == 0, context);
        Assert.DoesNotContain("not distributed", remote.StderrText, StringComparison.Ordinal);
        Assert.Equal(localObject, client.Env.Read("p.o"));
        Assert.Equal(localDwo, client.Env.Read("p.dwo"));
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 1 && stats.Errors == 0 && stats.Compiles[$"127.0.0.1:{port}"] == 1, stats + context);
    }
}
