using System.Text;
using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Infrastructure.DirectModeRuns;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>
/// gcc's preprocessor run as cc1 without its driver, end to end through the real client: the first miss learns the command
/// (memo under the cache directory, checked against the driver's output), the next misses of the same kind use it, and every
/// object and depfile is the plain compiler's.
/// </summary>
public sealed class DirectPreprocessorTests
{
    [Theory]
    [InlineData("gcc", "c", "cc1")]
    [InlineData("g++", "cpp", "cc1plus")]
    public void LearntOnTheFirstMiss_UsedByTheNext_ObjectsAndDepfilesAsThePlainCompilers(string compiler, string extension, string proper)
    {
        using var env = new TestEnvironment();
        env.Write("inc/h.h", "#define H 7\n");
        foreach (var name in (string[])["x", "y", "z"])
        {
            env.Write($"src/{name}.{extension}", $"#include <h.h>\nint {name}(void) {{ return H + FOO; }}\n");
        }

        Directory.CreateDirectory(env.PathOf("obj"));
        // -MMD, not -MD: a full depfile would be made in depend mode, without any preprocessor run.
        string[] Args(string name) => ["-c", $"src/{name}.{extension}", "-o", $"obj/{name}.o", "-Iinc", "-DFOO=2", "-O1", "-MMD", "-MF", $"obj/{name}.d"];
        string[] Outputs(string name) => [$"obj/{name}.o", $"obj/{name}.d"];

        foreach (var name in (string[])["x", "y", "z"])
        {
            var expected = Uncached(env, compiler, Args(name), Outputs(name));
            var run = env.Cached(compiler, Args(name));
            Assert.True(run.ExitCode == 0, run.Describe());
            AssertOutputs(env, Outputs(name), expected, name);
            if (name == "x")
            {
                // Learnt and checked on the first miss: the memo names the compiler proper, with the input as a mark.
                var memo = Assert.Single(Directory.GetFiles(Path.Combine(env.CacheDir, "preprocessors")));
                var fields = Encoding.UTF8.GetString(File.ReadAllBytes(memo)).Split('\0');
                Assert.Equal("direct", fields[1]);
                Assert.Equal(proper, Path.GetFileName(fields[2]));
                Assert.DoesNotContain(fields, f => f.Contains("x." + extension, StringComparison.Ordinal));
            }
        }

        var stats = env.WaitForStats(3);
        Assert.True(stats.CacheMisses == 3, stats.Json);
    }

    [Fact]
    public void TurnedOff_NothingIsLearnt()
    {
        using var env = new TestEnvironment();
        env.Env["SHARPCACHE_DIRECT_CPP"] = "0";
        env.Write("x.c", "int x(void) { return 1; }\n");

        var run = env.Cached("gcc", "-c", "x.c", "-o", "x.o");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.False(Directory.Exists(Path.Combine(env.CacheDir, "preprocessors")));
    }
}
