using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Builds;

/// <summary>Spec 9: SIGKILL of the daemon in the middle of a build never breaks the build.</summary>
public sealed class DaemonKillTests
{
    [Fact]
    public async Task Make_DaemonKilledMidBuild_BuildSucceedsAndDaemonComesBack()
    {
        using var env = new TestEnvironment { Timeout = TimeSpan.FromSeconds(120) };
        var project = MakeProject.Create(Path.Combine(env.Root, "proj"), 24, first: 100);
        var reference = MakeProject.CopySources(project, Path.Combine(env.Root, "ref"));
        Assert.Equal(0, env.RunIn(reference, "make", ["-j2", "CC=gcc"]).ExitCode);
        var cc = "CC=" + TestEnvironment.Binary + " gcc";

        var kills = 0;
        for (var round = 0; round < 3 && kills == 0; round++)
        {
            Assert.Equal(0, env.RunIn(project, "make", ["clean"]).ExitCode);
            var build = Task.Run(() => env.RunIn(project, "make", ["-j4", cc]));
            while (!build.IsCompleted)
            {
                var daemons = DaemonProcesses.Daemons(env.SocketPath);
                if (daemons.Count > 0 && kills < 3)
                {
                    DaemonProcesses.KillAll(daemons);
                    kills += daemons.Count;
                }

                await Task.Delay(10);
            }

            var result = await build;
            Assert.True(result.ExitCode == 0, $"build failed after the daemon was killed {kills} time(s): {result.Describe()}");
            MakeProject.AssertSameObjects(reference, project);
        }

        Assert.True(kills > 0, "never saw a daemon to kill during three builds: does the first compile auto-start one?");

        // Afterwards the cache works again and a new daemon records stats.
        env.Write("late.c", "int late(void) { return 5; }\n");
        var late = env.Cached("gcc", "-c", "late.c", "-o", "late.o");
        Assert.True(late.ExitCode == 0, late.Describe());
        var stats = env.WaitForStats(1);
        Assert.True(stats.CompileRequests >= 1, stats.Json);
    }
}
