using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// <c>-march=native</c> asks for the processor that compiles: with a cluster configured such a compile runs on the client
/// (a build server's processor would be another), is cached, and its second run is a hit, with the object of a local
/// compile; a compile without it goes to the cluster. So do compiles that need programs the toolchain archive does not
/// carry: gcc's <c>-B</c> directory, clang's external assembler.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistNativeCpuTests
{
    [Fact]
    public async Task MarchNative_CompiledOnTheClient_CachedAsLocal()
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Write("v.c", "float dot(const float *a, const float *b, int n)\n{\n  float s = 0;\n  for (int i = 0; i < n; i++)\n    s += a[i] * b[i];\n  return s;\n}\n");
        var local = client.Env.Direct("gcc", "-c", "-O3", "-march=native", "v.c", "-o", "local.o");
        Assert.True(local.ExitCode == 0, local.Describe());

        var first = client.Env.Cached("gcc", "-c", "-O3", "-march=native", "v.c", "-o", "v.o");
        var firstObject = client.Env.Read("v.o");
        File.Delete(client.Env.PathOf("v.o"));
        var second = client.Env.Cached("gcc", "-c", "-O3", "-march=native", "v.c", "-o", "v.o");
        var plain = client.Env.Cached("gcc", "-c", "-O3", "v.c", "-o", "plain.o");

        var context = $"first: {first.Describe()}\nsecond: {second.Describe()}\nplain: {plain.Describe()}{client.Env.DaemonLogTail()}";
        Assert.True(first.ExitCode == 0 && second.ExitCode == 0 && plain.ExitCode == 0, context);
        Assert.Equal(client.Env.Read("local.o"), firstObject);
        Assert.Equal(firstObject, client.Env.Read("v.o"));
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 1 && stats.Errors == 0, stats + context); // only the plain one went to the cluster
        Assert.True(stats.All.CacheHits >= 1, stats + context);
    }

    [Theory]
    [InlineData("clang", "-fno-integrated-as")]
    [InlineData("gcc", "-B{dir}")]
    public async Task ProgramsTheToolchainDoesNotCarry_CompiledOnTheClientAsLocal(string compiler, string option)
    {
        Assert.True(HostTools.Find(compiler) is not null, compiler + " is not on PATH (scripts/test.sh installs it)");
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        var dir = Directory.CreateDirectory(client.Env.PathOf("binutils")).FullName + "/";
        HostTools.Script(dir + "as", "echo 'the -B assembler ran' >&2\nexec /usr/bin/as \"$@\"\n");
        client.Env.Write("t.c", "int twice(int x) { return 2 * x; }\n");
        string[] arguments = ["-c", "-O2", option.Replace("{dir}", dir, StringComparison.Ordinal), "t.c", "-o", "t.o"];
        var (local, localOutputs, remote) = client.CompileLocallyThenCached(compiler, arguments, "t.o");

        var context = $"local: {local.Describe()}\nremote: {remote.Describe()}{client.Env.DaemonLogTail()}";
        Assert.True(remote.ExitCode == 0 && remote.StderrText == local.StderrText, context); // -B: its assembler's message too
        Assert.Equal(localOutputs[0], client.Env.Read("t.o"));
        var stats = client.WaitForStats(s => s.All.CacheWrites >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 0 && stats.Errors == 0, stats + context);
    }
}
