using System.Formats.Tar;
using System.IO.Compression;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// <c>[[dist.toolchains]]</c> gone wrong: a <c>path_override</c> archive whose compiler cannot run on the
/// build server, one that does not hold the named compiler at all, and <c>no_dist</c>. Every compile
/// is local with the objects of a plain gcc build; the first two count dist errors and say why.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistToolchainFaultTests(LuaReference reference)
{
    [Fact]
    public async Task PathOverrideCompilerBrokenOnTheServer_EveryCompileLocal_ReasonLogged()
    {
        using var cluster = new DistCluster();
        cluster.StartScheduler();
        cluster.StartServer("a", FreePort.Next());
        var gcc = HostTools.RealGcc();
        var archive = BrokenToolchain(cluster.Root, gcc);
        using var client = new DistClient(cluster.SchedulerUrl, extraConfig: PathOverride(gcc, archive, gcc));
        await cluster.WaitForServersAsync(1);
        var src = client.CopyLua();

        client.BuildLua(src);

        reference.AssertSameObjects(src, client.DaemonLog);
        var stats = client.WaitForStats(s => s.Errors >= 34, TimeSpan.FromSeconds(10));
        var context = stats + "\nclients:\n" + client.ClientMessages + client.Env.DaemonLogTail() + cluster.Logs();
        Assert.True(stats.TotalCompiles == 0 && stats.Errors == 34, context);
        var warning = client.DaemonLog.Split('\n').FirstOrDefault(l => l.Contains("falling back", StringComparison.Ordinal)) ?? "";
        Assert.True(warning.Contains(gcc, StringComparison.Ordinal) && warning.Contains("No such file or directory", StringComparison.Ordinal), context);
    }

    [Fact]
    public async Task PathOverrideArchiveWithoutTheCompiler_CompilesLocally_ReasonLogged()
    {
        using var cluster = new DistCluster();
        cluster.StartScheduler();
        cluster.StartServer("a", FreePort.Next());
        var gcc = HostTools.RealGcc();
        var archive = BrokenToolchain(cluster.Root, gcc);
        using var client = new DistClient(cluster.SchedulerUrl, extraConfig: PathOverride(gcc, archive, "/opt/no/such/gcc"));
        await cluster.WaitForServersAsync(1);

        CompileTwoFilesLocallyEqual(client);

        var stats = client.WaitForStats(s => s.Errors >= 2, TimeSpan.FromSeconds(10));
        var context = stats + client.Env.DaemonLogTail();
        Assert.True(stats.TotalCompiles == 0 && stats.Errors == 2, context);
        Assert.Contains("'/opt/no/such/gcc' is not in", client.DaemonLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoDistForGcc_NoDistCompileAndNoDistError()
    {
        using var cluster = new DistCluster();
        cluster.StartScheduler();
        cluster.StartServer("a", FreePort.Next());
        using var client = new DistClient(cluster.SchedulerUrl, extraConfig: $"""
            [[dist.toolchains]]
            type = "no_dist"
            compiler_executable = "{HostTools.RealGcc()}"
            """);
        await cluster.WaitForServersAsync(1);

        CompileTwoFilesLocallyEqual(client);

        var stats = client.WaitForStats(s => s.All.CompileRequests >= 2, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 0 && stats.Errors == 0 && stats.All.Counter("compilations") == 2, stats + client.Env.DaemonLogTail());
    }

    private static void CompileTwoFilesLocallyEqual(DistClient client)
    {
        for (var i = 0; i < 2; i++)
        {
            client.Env.Write($"f{i}.c", $"int f{i}(int x) {{ return x * {i + 3}; }}\n");
            var r = client.Env.Cached("gcc", "-c", "-O2", $"f{i}.c", "-o", $"f{i}.o");
            Assert.True(r.ExitCode == 0, r.Describe() + client.Env.DaemonLogTail());
            Assert.Equal(0, client.Env.Direct("gcc", "-c", "-O2", $"f{i}.c", "-o", $"f{i}-local.o").ExitCode);
            Assert.Equal(client.Env.Read($"f{i}-local.o"), client.Env.Read($"f{i}.o"));
        }
    }

    private static string PathOverride(string compiler, string archive, string archiveCompiler) => $"""
        [[dist.toolchains]]
        type = "path_override"
        compiler_executable = "{compiler}"
        archive = "{archive}"
        archive_compiler_executable = "{archiveCompiler}"
        """;

    /// <summary>
    /// A tar.gz whose "compiler" at <paramref name="compilerPath"/> is a shell script, and no shell: the
    /// sandbox cannot start it (ENOENT), as with a toolchain missing its interpreter or loader.
    /// </summary>
    private static string BrokenToolchain(string directory, string compilerPath)
    {
        var path = Path.Combine(directory, "broken-toolchain.tar.gz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, compilerPath.TrimStart('/'))
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            DataStream = new MemoryStream("#!/bin/sh\nexit 127\n"u8.ToArray()),
        };
        tar.WriteEntry(entry);
        return path;
    }
}
