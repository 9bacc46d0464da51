using System.Diagnostics;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Robustness;

/// <summary>When no daemon can run, compiles still succeed, correctly and without long stalls.</summary>
public sealed class DaemonUnavailableTests
{
    [Theory]
    [InlineData("socket-dir-missing")]
    [InlineData("socket-path-is-a-regular-file")]
    [InlineData("socket-path-too-long")]
    public void Compile_DaemonCannotListen_CompilesCorrectlyWithoutStalling(string how)
    {
        using var env = new TestEnvironment();
        var socket = how switch
        {
            "socket-dir-missing" => Path.Combine(env.Root, "no", "such", "dir", "daemon.sock"),
            "socket-path-is-a-regular-file" => Path.Combine(env.Root, "plain-file"),
            "socket-path-too-long" => Path.Combine(env.Root, new string('x', 150)),
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };
        if (how == "socket-path-is-a-regular-file")
        {
            File.WriteAllText(socket, "not a socket");
        }

        env.Env["SCCACHE_SERVER_UDS"] = socket;
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Direct("gcc", "-c", "src.c", "-o", "ref.o").ExitCode);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            env.Delete("out.o");
            var r = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
            Assert.True(r.ExitCode == 0, $"{how} #{i + 1}: {r.Describe()}");
            Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), $"{how} #{i + 1}: wrong object");
        }

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"{how}: three compiles took {sw.Elapsed.TotalSeconds:F1} s (waiting on a daemon that cannot start?)");
        if (how == "socket-path-is-a-regular-file")
        {
            // SCCACHE_SERVER_UDS naming an existing regular file is a user mistake: the daemon may
            // replace a stale socket there, never a file.
            Assert.True(
                StillHolds(socket, "not a socket"),
                "the daemon deleted the regular file at SCCACHE_SERVER_UDS and put its socket there");
        }
    }

    [Fact]
    public void Compile_InvalidCacheSizeSetting_StillCompiles()
    {
        using var env = new TestEnvironment();
        env.Env["SCCACHE_CACHE_SIZE"] = "lots";
        Sources.WriteFor(env, "gcc");
        Assert.Equal(0, env.Direct("gcc", "-c", "src.c", "-o", "ref.o").ExitCode);
        var r = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
        Assert.True(r.ExitCode == 0, r.Describe());
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")));
    }

    private static bool StillHolds(string path, string content)
    {
        try
        {
            return File.ReadAllText(path) == content;
        }
        catch (IOException)
        {
            // Gone, or now a socket (reading one fails with ENXIO).
            return false;
        }
    }
}
