using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Tests.Sandbox;

/// <summary>
/// The build server's sandbox processes started ahead of their jobs, with real processes, cgroups and
/// namespaces (what the groups and namespaces give needs root; without it the checks that need them are skipped), armed by
/// <c>sharpcache-dist-runner --arm</c> and, as without the runner, by bash.
/// </summary>
public sealed class SandboxLauncherTests
{
    private static readonly bool PidsGroups = File.Exists("/sys/fs/cgroup/pids/cgroup.procs") && Environment.UserName == "root";

    public static TheoryData<bool> Armers => [true, false];

    /// <summary>The runner built beside the server (the tests need it: the build has a C compiler), or null for bash.</summary>
    private static string? Runner(bool runner) => runner ? PreparedSandboxes.FindRunner() ?? throw new InvalidOperationException("sharpcache-dist-runner was not built") : null;

    private static async Task<(ProcessCountLimit Limit, SandboxLauncher Launcher, string Dir)> CreateAsync(int armed, bool runner)
    {
        var limit = ProcessCountLimit.Detect("test-" + Guid.NewGuid().ToString("N")[..12]);
        var launcher = await SandboxLauncher.CreateAsync(limit, 64, armed, Runner(runner), CancellationToken.None);
        return (limit, launcher, Directory.CreateTempSubdirectory("sharpcache-launcher-").FullName);
    }

    /// <summary>Runs <paramref name="body"/> with a launcher (and a scratch directory), then disposes everything.</summary>
    private static async Task WithLauncherAsync(int armed, bool runner, Func<SandboxLauncher, string, Task> body)
    {
        var (limit, launcher, dir) = await CreateAsync(armed, runner);
        try
        {
            await body(launcher, dir);
        }
        finally
        {
            launcher.Dispose();
            limit.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr, bool Sent)> RunAsync(SandboxLauncher launcher, string dir, IReadOnlyList<string> command)
    {
        using var launched = await launcher.StartAsync(command, Path.Combine(dir, "command-" + Guid.NewGuid().ToString("N")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stdout = launched.Process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = launched.Process.StandardError.ReadToEndAsync(timeout.Token);
        await launched.Process.WaitForExitAsync(timeout.Token);
        return (launched.Process.ExitCode, await stdout, await stderr, launched.Sent);
    }

    private static async Task WaitForArmedAsync(SandboxLauncher launcher, int count)
    {
        for (var i = 0; i < 200 && launcher.ArmedProcessIds().Count < count; i++)
        {
            await Task.Delay(25);
        }

        Assert.True(launcher.ArmedProcessIds().Count >= count, $"{launcher.ArmedProcessIds().Count} of {count} processes armed");
    }

    [Theory]
    [MemberData(nameof(Armers))]
    public async Task StartAsync_Armed_RunsTheExactCommandLineWithStdinAtEof(bool runner)
    {
        await WithLauncherAsync(2, runner, async (launcher, dir) =>
        {
            Assert.Equal(runner ? "armed by the runner" : "armed by bash", launcher.Mode);
            await WaitForArmedAsync(launcher, 2);
            var run = await RunAsync(launcher, dir, ["/bin/sh", "-c", "printf '%s|' \"$@\"; cat; echo end", "sh", "a b", "", "two\nlines", "ü $HOME *", "--"]);
            Assert.True(run.Sent);
            Assert.Equal(0, run.Exit);
            Assert.Equal("a b||two\nlines|ü $HOME *|--|end\n", run.Stdout);
            Assert.Equal("", run.Stderr);
        });
    }

    [Theory]
    [MemberData(nameof(Armers))]
    public async Task StartAsync_EachProcess_InItsOwnPidsGroupAndNetworkNamespace(bool runner)
    {
        if (!PidsGroups)
        {
            return;
        }

        await WithLauncherAsync(2, runner, async (launcher, dir) =>
        {
            Assert.True(launcher.NewNetwork);
            await WaitForArmedAsync(launcher, 2);
            var probe = new[] { "/bin/sh", "-c", "grep pids /proc/self/cgroup; readlink /proc/self/ns/net" };
            var first = await RunAsync(launcher, dir, probe);
            var second = await RunAsync(launcher, dir, probe);
            var ours = File.ResolveLinkTarget("/proc/self/ns/net", returnFinalTarget: false)!.ToString();
            foreach (var run in new[] { first, second })
            {
                Assert.Equal(0, run.Exit);
                var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Matches(@"pids:/sharpcache-dist-test-[0-9a-f]+/run-\d+$", lines[0]);
                Assert.NotEqual(ours, lines[1]);
            }

            Assert.NotEqual(first.Stdout, second.Stdout); // neither group nor namespace is shared between jobs
        });
    }

    [Theory]
    [MemberData(nameof(Armers))]
    public async Task StartAsync_ArmedProcessKilledWhileWaiting_TakesAnotherAndRunsTheJob(bool runner)
    {
        await WithLauncherAsync(2, runner, async (launcher, dir) =>
        {
            await WaitForArmedAsync(launcher, 2);
            foreach (var pid in launcher.ArmedProcessIds())
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }

            await Task.Delay(100);
            var run = await RunAsync(launcher, dir, ["/bin/echo", "still here"]);
            Assert.True(run.Sent);
            Assert.Equal(0, run.Exit);
            Assert.Equal("still here\n", run.Stdout);
        });
    }

    [Fact]
    public async Task RunnerArm_CommandThatCannotRun_ExitsOneWithTheRunnersPrefix_StdinLeftForTheCommand()
    {
        var dir = Directory.CreateTempSubdirectory("sharpcache-arm-").FullName;
        try
        {
            var runner = Runner(true)!;
            var line = Path.Combine(dir, "line");
            File.WriteAllBytes(line, SandboxLauncher.Payload(["/nonexistent/bwrap", "x"]));
            var failed = await ArmAsync(runner, line + "\0");
            Assert.Equal(1, failed.Exit);
            Assert.StartsWith("sharpcache-dist-runner: cannot execute /nonexistent/bwrap", failed.Stderr, StringComparison.Ordinal);

            // Only the path is read: what follows it on stdin is the command's.
            File.WriteAllBytes(line, SandboxLauncher.Payload(["cat"]));
            var cat = await ArmAsync(runner, line + "\0" + "for the sandbox\n");
            Assert.Equal((0, "for the sandbox\n"), (cat.Exit, cat.Stdout));

            // Let go before a path came: status 1, nothing said. A line that does not end with NUL is refused.
            var unused = await ArmAsync(runner, "");
            Assert.Equal((1, ""), (unused.Exit, unused.Stderr));
            File.WriteAllText(line, "cat");
            var malformed = await ArmAsync(runner, line + "\0");
            Assert.Equal(1, malformed.Exit);
            Assert.Contains("malformed command line", malformed.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> ArmAsync(string runner, string stdin)
    {
        var start = new System.Diagnostics.ProcessStartInfo(runner) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--arm", "" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Theory]
    [MemberData(nameof(Armers))]
    public async Task StartAsync_PoolEmpty_ArmsOneForTheJob(bool runner)
    {
        await WithLauncherAsync(0, runner, async (launcher, dir) =>
        {
            var run = await RunAsync(launcher, dir, ["/bin/echo", "fresh"]);
            Assert.Equal("fresh\n", run.Stdout);
        });
    }

    [Theory]
    [MemberData(nameof(Armers))]
    public async Task Dispose_KillsArmedProcessesAndRemovesEveryGroup(bool runner)
    {
        var instance = "test-" + Guid.NewGuid().ToString("N")[..12];
        var limit = ProcessCountLimit.Detect(instance);
        var launcher = await SandboxLauncher.CreateAsync(limit, 64, 3, Runner(runner), CancellationToken.None);
        var dir = Directory.CreateTempSubdirectory("sharpcache-launcher-").FullName;
        IReadOnlyList<int> armed;
        try
        {
            await WaitForArmedAsync(launcher, 3);
            armed = launcher.ArmedProcessIds();
            var run = await RunAsync(launcher, dir, ["/bin/true"]);
            Assert.Equal(0, run.Exit);
        }
        finally
        {
            launcher.Dispose();
            limit.Dispose();
            Directory.Delete(dir, recursive: true);
        }

        Assert.Empty(launcher.ArmedProcessIds());
        for (var i = 0; i < 100 && armed.Any(pid => Directory.Exists($"/proc/{pid}")); i++)
        {
            await Task.Delay(20);
        }

        Assert.DoesNotContain(armed, pid => Directory.Exists($"/proc/{pid}"));
        Assert.False(Directory.Exists($"/sys/fs/cgroup/pids/sharpcache-dist-{instance}"), "the server's group root is left behind");
    }
}
