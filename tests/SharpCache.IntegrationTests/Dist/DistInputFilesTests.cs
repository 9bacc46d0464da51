using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// Files a compile reads besides its text, through a real scheduler and build server. clang's sanitizer ignore list is an
/// input of the job (and of the key): the object equals a local compile's. A file the job does not carry (an assembler
/// <c>.incbin</c>) makes the remote compile fail where a local one does not: the client compiles locally, with a local
/// compile's result, instead of failing the build.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistInputFilesTests
{
    private const string Sanitized = "int table[8];\nint skip_me(int i)\n{\n  return table[i];\n}\nint check(int i)\n{\n  return table[i] + 1;\n}\n";

    private const string Incbin = "__asm__(\".section .rodata\\n.global blob\\nblob: .incbin \\\"blob.bin\\\"\\n.previous\");\nint size(void) { return 4; }\n";

    [Fact]
    public async Task ClangSanitizerIgnoreList_SentWithTheJob_ObjectAsLocal()
    {
        Assert.True(HostTools.Find("clang") is not null, "clang is not on PATH (scripts/test.sh installs it)");
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Write("s.c", Sanitized);
        client.Env.Write("ignore.txt", "fun:skip_me\n");
        string[] arguments = ["-c", "-O1", "-fsanitize=address", "-fsanitize-ignorelist=ignore.txt", "s.c", "-o", "s.o"];
        var (_, local, remote) = client.CompileLocallyThenCached("clang", arguments, "s.o");

        var context = $"remote: {remote.Describe()}{client.Env.DaemonLogTail()}{cluster.Logs()}";
        Assert.True(remote.ExitCode == 0, context);
        Assert.Equal(local[0], client.Env.Read("s.o"));
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 1 && stats.Errors == 0, stats + context);
    }

    [Fact]
    public async Task AssemblerIncbinNotSent_RemoteFails_CompiledLocallyAsLocal()
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Write("b.c", Incbin);
        client.Env.Write("blob.bin", "DATA");
        var (_, local, remote) = client.CompileLocallyThenCached("gcc", ["-c", "b.c", "-o", "b.o"], "b.o");

        var context = $"remote: {remote.Describe()}{client.Env.DaemonLogTail()}{cluster.Logs()}";
        Assert.True(remote.ExitCode == 0, context); // gas on the server: "Error: file not found: blob.bin"
        Assert.Equal(local[0], client.Env.Read("b.o"));
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 0 && stats.Errors == 1, stats + context); // a dist error, then the local compile
    }
}
