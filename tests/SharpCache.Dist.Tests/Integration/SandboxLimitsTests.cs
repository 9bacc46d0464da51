using System.Diagnostics;
using System.Net;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Tests.Integration;

/// <summary>The sandbox's wall-time and process-count limits, and .tar.xz toolchains, with real bubblewrap.</summary>
public sealed class SandboxLimitsTests
{
    private static readonly Lazy<byte[]> Bash = new(() => ToolchainPacker.Pack([("/bin/bash", "/bin/bash")]));

    private static async Task<(DistCluster Cluster, JobAllocation Job)> ReadyAsync(byte[] toolchain, string extra = "", int timeout = 20)
    {
        var cluster = await DistCluster.StartAsync(extraServerToml: extra, jobTimeoutSecs: timeout);
        await cluster.WaitForServersAsync(1);
        var id = DistCluster.Blake3Hex(toolchain);
        var job = await cluster.AllocAsync(id);
        using var upload = await cluster.UploadAsync(job, id, toolchain);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        return (cluster, job);
    }

    [Fact]
    public async Task RunJob_PastWallTime_KilledAndTimedOut()
    {
        var (cluster, job) = await ReadyAsync(Bash.Value, timeout: 1);
        await using var _ = cluster;
        var clock = Stopwatch.StartNew();
        var run = await cluster.RunAsync(job, new RunJobRequest { Executable = "/bin/bash", Arguments = ["-c", "while :; do :; done"], Cwd = "/w" }, []);
        Assert.Equal(DistErrorCodes.TimedOut, run.Error?.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
    }

    private const string ForkProgram = """
        #include <signal.h>
        #include <stdio.h>
        #include <unistd.h>
        int main(void) {
            pid_t pids[20]; int started = 0;
            for (int i = 0; i < 20; i++) { pid_t p = fork(); if (p == 0) { pause(); _exit(0); } if (p > 0) pids[started++] = p; }
            printf("started=%d\n", started); fflush(stdout);
            for (int i = 0; i < started; i++) kill(pids[i], SIGKILL);
            return 0;
        }
        """;

    [Fact]
    public async Task RunJob_ForkBomb_StoppedAtProcessLimit()
    {
        // A static "compiler" that forks 20 children against a limit of 8 and reports how many it got.
        // Without a pids cgroup the limit is RLIMIT_NPROC, which the kernel does not apply to root.
        if (!File.Exists("/sys/fs/cgroup/pids/cgroup.procs") && Environment.UserName == "root")
        {
            return;
        }

        var dir = Directory.CreateTempSubdirectory("sharpcache-dist-fork-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "fork.c"), ForkProgram);
            ToolchainPacker.Run("gcc", "-static", "-O1", Path.Combine(dir, "fork.c"), "-o", Path.Combine(dir, "fork"));
            var toolchain = new TarBuilder().HostFile("usr/bin/forker", Path.Combine(dir, "fork"), (UnixFileMode)0x1ED).ToArray();
            var (cluster, job) = await ReadyAsync(toolchain, extra: "job_max_processes = 8");
            await using var _ = cluster;
            var run = await cluster.RunAsync(job, new RunJobRequest { Executable = "/usr/bin/forker", Cwd = "/w" }, []);
            Assert.Equal(HttpStatusCode.OK, run.Status);
            var started = int.Parse(run.Stdout.Trim().Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(started is > 0 and < 8, run.Stdout + run.Stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task UploadToolchain_TarXz_UnpacksAndRuns()
    {
        var tar = Bash.Value;
        var xz = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(xz, tar);
            ToolchainPacker.Run("xz", "-0", "-f", "-T1", xz);
            var archive = await File.ReadAllBytesAsync(xz + ".xz");
            var (cluster, job) = await ReadyAsync(archive);
            await using var _ = cluster;
            var run = await cluster.RunAsync(job, new RunJobRequest { Executable = "/bin/bash", Arguments = ["-c", "echo from-xz"], Cwd = "/w" }, []);
            Assert.Equal("from-xz\n", run.Stdout);
        }
        finally
        {
            File.Delete(xz);
            File.Delete(xz + ".xz");
        }
    }
}
