namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>A generated make project: N numbered .c files sharing a header, built with $(CC).</summary>
public static class MakeProject
{
    private const string Makefile = """
        CFLAGS ?= -O2
        OBJS := $(patsubst %.c,%.o,$(sort $(wildcard *.c)))
        all: $(OBJS)
        %.o: %.c common.h
        	$(CC) $(CFLAGS) -c $< -o $@
        clean:
        	rm -f *.o
        .PHONY: all clean

        """;

    /// <summary>Writes the project; file i holds <see cref="Sources.Numbered"/>(first + i).</summary>
    public static string Create(string dir, int count, int first)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Makefile"), Makefile);
        File.WriteAllText(Path.Combine(dir, "common.h"), "#define COMMON_BASE 3\n");
        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"unit{first + i}.c"), Sources.Numbered(first + i));
        }

        return dir;
    }

    /// <summary>Copies the sources of a project (not its objects) to <paramref name="target"/>.</summary>
    public static string CopySources(string dir, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var f in Directory.GetFiles(dir).Where(f => !f.EndsWith(".o", StringComparison.Ordinal)))
        {
            File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }

        return target;
    }

    /// <summary>Every object of a built project, by file name.</summary>
    public static SortedDictionary<string, byte[]> Objects(string dir) =>
        new(Directory.GetFiles(dir, "*.o").ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), StringComparer.Ordinal);

    public static void AssertSameObjects(string expectedDir, string actualDir)
    {
        var expected = Objects(expectedDir);
        var actual = Objects(actualDir);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{Path.GetFileName(actualDir)}/{name} differs from the uncached build's object");
        }
    }
}
