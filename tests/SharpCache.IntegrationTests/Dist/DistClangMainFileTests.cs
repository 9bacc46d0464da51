using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// clang names the main file after its input on the command line: under <c>-fprofile-instr-generate</c> a static function's
/// counters are named "main-file:function". The build server compiles the preprocessed text under another name, so the job
/// passes the source's name (<c>-main-file-name</c>): the object equals a local compile's, and a profile collected from
/// either build fits both.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistClangMainFileTests
{
    private const string Source = "static int step(int x)\n{\n  return x * 3 + 1;\n}\nint run(int n)\n{\n  int s = 0;\n  for (int i = 0; i < n; i++)\n    s += step(i);\n  return s;\n}\n";

    [Fact]
    public async Task ProfileInstrGenerate_StaticFunctionNamedAfterTheSource_ObjectAsLocal()
    {
        var clang = HostTools.Find("clang");
        Assert.True(clang is not null, "clang is not on PATH (scripts/test.sh installs it)");
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        Directory.CreateDirectory(client.Env.PathOf("src"));
        client.Env.Write("src/loop.c", Source);
        string[] arguments = ["-c", "-O2", "-fprofile-instr-generate", "src/loop.c", "-o", "loop.o"];

        var (_, local, remote) = client.CompileLocallyThenCached("clang", arguments, "loop.o");

        var context = $"remote: {remote.Describe()}{client.Env.DaemonLogTail()}{cluster.Logs()}";
        Assert.True(remote.ExitCode == 0, context);
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 1 && stats.Errors == 0, stats + context);
        Assert.Equal(local[0], client.Env.Read("loop.o"));
    }
}
