using System.Formats.Tar;
using System.Text.Json;
using SharpCache.TestServers.Netns;
using SharpCache.Toolchains;

namespace SharpCache.Netns.Tests;

/// <summary>sharpcache-dist as real processes on simulated hosts: a scheduler in host 1, build servers in hosts 2 and 3, a client in host 4.</summary>
public sealed class DistClusterTests : IDisposable
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(120);
    private readonly string _temp = Directory.CreateTempSubdirectory("sharpcache-netns-dist-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task SchedulerAndTwoServers_StatusFromHost4_ShowsBothServersAndTheirCores()
    {
        await using var cluster = await NetnsCluster.CreateAsync(4);
        var (scheduler, status) = await DistDeployment.StartAsync(cluster, _temp, cluster[4], 3, 5);

        Assert.Equal(8, status.GetProperty("num_cpus").GetInt32());
        var byId = status.GetProperty("servers").EnumerateArray().ToDictionary(s => s.GetProperty("server_id").GetString()!, s => s.GetProperty("num_cpus").GetInt32());
        Assert.Equal(3, byId[$"{cluster[2].Address}:10500"]);
        Assert.Equal(5, byId[$"{cluster[3].Address}:10500"]);
        Assert.StartsWith("http://", scheduler, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackagedGccToolchain_CompiledRemotelyFromHost4_MatchesLocalObject()
    {
        await using var cluster = await NetnsCluster.CreateAsync(4);
        var (scheduler, _) = await DistDeployment.StartAsync(cluster, _temp, cluster[4], 3, 5);

        var archivePath = Path.Combine(_temp, "gcc.tar.gz");
        ToolchainArchive archive;
        await using (var file = File.Create(archivePath))
        {
            archive = ToolchainPackager.Package("/usr/bin/gcc", file);
        }

        var local = Directory.CreateDirectory(Path.Combine(_temp, "local")).FullName;
        await File.WriteAllTextAsync(Path.Combine(local, "hello.c"), "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n");
        Assert.Equal(0, (await NetnsClusterTests.Run("gcc", "-E", Path.Combine(local, "hello.c"), "-o", Path.Combine(local, "hello.i"))).ExitCode);
        var (localExit, localOutput) = await RunIn(local, "gcc", "-c", "-O2", "hello.i", "-o", "hello.o");
        Assert.True(localExit == 0, localOutput);

        var inputs = Path.Combine(_temp, "inputs.tar");
        await using (var tar = File.Create(inputs))
        {
            await TarFile.CreateFromDirectoryAsync(StageInputs(local), tar, includeBaseDirectory: false);
        }

        var frame = Path.Combine(_temp, "frame.json");
        await File.WriteAllTextAsync(frame, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["executable"] = archive.CompilerPath,
            ["arguments"] = new[] { "-c", "-O2", "hello.i", "-o", "hello.o" },
            ["env"] = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            ["cwd"] = "/build/src",
            ["outputs"] = new[] { "hello.o" },
        }));
        var remote = Directory.CreateDirectory(Path.Combine(_temp, "remote")).FullName;
        var (exit, output) = await cluster.RunAsync(
            cluster[4], "python3", ["-c", DistJobClient.Script, scheduler, DistDeployment.Token, archive.ContentId, archivePath, frame, inputs, remote], ClientTimeout);
        Assert.True(exit == 0, output);
        Assert.Contains("exit=0", output, StringComparison.Ordinal);
        Assert.True(
            output.Contains($"server={cluster[2].Address}:10500", StringComparison.Ordinal) || output.Contains($"server={cluster[3].Address}:10500", StringComparison.Ordinal),
            output);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(local, "hello.o")), await File.ReadAllBytesAsync(Path.Combine(remote, "hello.o")));
    }

    /// <summary>The inputs tree as the server unpacks it: at their sandbox paths (<c>/build/src/hello.i</c>) without the leading slash.</summary>
    private string StageInputs(string local)
    {
        var staged = Directory.CreateDirectory(Path.Combine(_temp, "staged", "build", "src")).FullName;
        File.Copy(Path.Combine(local, "hello.i"), Path.Combine(staged, "hello.i"));
        return Path.Combine(_temp, "staged");
    }

    private static async Task<(int ExitCode, string Output)> RunIn(string directory, string executable, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
