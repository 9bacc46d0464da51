using System.Diagnostics;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Robustness;

/// <summary>A daemon that accepts nothing (stopped, wedged) must not hang compiles.</summary>
public sealed class DaemonHangTests
{
    [Fact]
    public void Compile_DaemonStopped_CompilesFinishPromptlyWithCorrectObjects()
    {
        using var env = new TestEnvironment();
        Assert.Equal(0, env.SharpCache("--start-server").ExitCode);
        var daemon = Assert.Single(DaemonProcesses.Daemons(env.SocketPath));
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Direct("gcc", "-c", "src.c", "-o", "ref.o").ExitCode);

        Signal("-STOP", daemon);
        try
        {
            for (var i = 0; i < 2; i++)
            {
                env.Delete("out.o");
                var sw = Stopwatch.StartNew();
                var r = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["gcc", "-c", "src.c", "-o", "out.o"], timeout: TimeSpan.FromSeconds(30));
                Assert.True(r.ExitCode == 0, $"compile #{i + 1} with a stopped daemon: {r.Describe()}");
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"compile #{i + 1} took {sw.Elapsed.TotalSeconds:F1} s while the daemon was stopped");
                Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), $"compile #{i + 1}: wrong object");
            }
        }
        finally
        {
            Signal("-CONT", daemon);
        }

        var stats = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["-s"], timeout: TimeSpan.FromSeconds(15));
        Assert.True(stats.ExitCode == 0, "daemon unusable after SIGCONT: " + stats.Describe());
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
