using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Infrastructure.DirectModeRuns;

namespace SharpCache.IntegrationTests.DirectMode;

/// <summary>
/// A clean rebuild of a small make project (half its units with <c>-MD</c>) is all direct hits,
/// and every object and depfile is byte-identical to an uncached build's.
/// </summary>
public sealed class WarmRebuildTests
{
    private const int Units = 10;

    private const string Makefile = """
        CFLAGS ?= -O2
        OBJS := $(patsubst %.c,%.o,$(sort $(wildcard *.c)))
        DEPOBJS := unit0.o unit1.o unit2.o unit3.o unit4.o
        all: $(OBJS)
        $(DEPOBJS): DEPFLAGS = -MD -MF $(@:.o=.d)
        %.o: %.c common.h
        	$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@
        clean:
        	rm -f *.o *.d
        .PHONY: all clean

        """;

    private static string CreateProject(string dir)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Makefile"), Makefile);
        File.WriteAllText(Path.Combine(dir, "common.h"), "#include <stddef.h>\n#define COMMON_BASE 3\n");
        for (var i = 0; i < Units; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"unit{i}.c"), Sources.Numbered(i));
        }

        return dir;
    }

    private static void Make(TestEnvironment env, string dir, params string[] args)
    {
        var r = env.RunIn(dir, "make", ["-j2", .. args]);
        Assert.True(r.ExitCode == 0, $"make {string.Join(' ', args)} failed: {r.Describe()}{env.DaemonLogTail()}");
    }

    private static SortedDictionary<string, byte[]> Outputs(string dir) =>
        new(Directory.GetFiles(dir).Where(f => f.EndsWith(".o", StringComparison.Ordinal) || f.EndsWith(".d", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), StringComparer.Ordinal);

    [Fact]
    public void CleanRebuildIsAllDirectHitsWithIdenticalObjectsAndDepfiles()
    {
        using var env = new TestEnvironment();
        var reference = CreateProject(Path.Combine(env.Root, "ref"));
        var cached = CreateProject(Path.Combine(env.Root, "cached"));
        Settle();
        Make(env, reference, "CC=gcc");
        var expected = Outputs(reference);
        Assert.Equal(Units + 5, expected.Count);

        var cc = "CC=" + TestEnvironment.Binary + " gcc";
        Make(env, cached, cc);
        Make(env, cached, "clean");
        var log = Path.Combine(env.Root, "explain.log");
        env.Env["SHARPCACHE_EXPLAIN"] = log;
        Make(env, cached, cc);
        env.Env.Remove("SHARPCACHE_EXPLAIN");

        var actual = Outputs(cached);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} differs from the uncached build's");
        }

        var stats = env.WaitForStats(2 * Units);
        Assert.True(stats.CacheHits == Units && stats.CacheMisses == Units && stats.CompileRequests == 2 * Units, stats.Json);

        // make -j2: two clients append to the explain file at the same time; no line may be lost.
        var explain = File.ReadAllLines(log);
        Assert.True(explain.Count(l => l.EndsWith(": " + DirectHit, StringComparison.Ordinal)) == Units,
            "expected every unit to be a direct hit on the rebuild:\n" + string.Join('\n', explain));
    }
}
