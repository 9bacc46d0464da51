using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// Character sets through a real scheduler and build server. <c>-finput-charset</c> is the preprocessor's: its output is
/// UTF-8, and the job compiles it as such (given the flag too, gcc converted the text again and wrote "cafÃ©" where a local
/// compile writes "café"). <c>-fexec-charset</c> to a set the server's iconv lacks (the toolchain carries no gconv modules)
/// fails there: the client compiles locally.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistCharsetTests
{
    [Theory]
    [InlineData("-finput-charset=latin1", 1, 0)]
    [InlineData("-fexec-charset=IBM1047", 0, 1)]
    public async Task Charset_ObjectAsLocal(string option, int distributed, int distErrors)
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        byte[] source = option.StartsWith("-finput", StringComparison.Ordinal)
            ? [.. "const char *name = \"caf"u8, 0xE9, .. "\";\n"u8] // é in latin1
            : [.. "const char *name = \"cafe\";\n"u8];
        File.WriteAllBytes(client.Env.PathOf("cafe.c"), source);
        string[] arguments = ["-c", option, "cafe.c", "-o", "cafe.o"];

        var (_, local, remote) = client.CompileLocallyThenCached("gcc", arguments, "cafe.o");

        var context = $"remote: {remote.Describe()}{client.Env.DaemonLogTail()}{cluster.Logs()}";
        Assert.True(remote.ExitCode == 0, context);
        Assert.Equal(local[0], client.Env.Read("cafe.o"));
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == distributed && stats.Errors == distErrors, stats + context);
    }
}
