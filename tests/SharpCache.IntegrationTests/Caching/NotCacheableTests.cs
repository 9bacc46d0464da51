using System.Text;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>
/// Spec 5: invocations that cannot be cached run the compiler directly with the same results, and
/// are counted as not cacheable (with a named reason) or not a compile.
/// </summary>
public sealed class NotCacheableTests
{
    private const string Main = "#include \"h.h\"\nint main(void) { return VALUE - 1; }\n";

    public static TheoryData<string> Cases =>
    [
        "link-from-source",
        "link-objects",
        "several-sources",
        "preprocess-only",
        "dependencies-only",
        "syntax-only",
        "syntax-only-error",
        "stdin-input",
        "save-temps",
        "unknown-language",
        "precompiled-header",
        "multiple-arch",
        "output-to-stdout",
        "compiler-version",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invocation_NotCacheable_RunsCompilerAndIsCounted(string name)
    {
        using var env = new TestEnvironment();
        env.Write("h.h", "#define VALUE 1\n");
        env.Write("a.c", Main);
        env.Write("b.c", "int other(void) { return 2; }\n");
        env.Write("a.xyz", "not a source file\n");
        env.Write("bad.c", "int broken( {\n");
        byte[]? stdin = null;
        var (compiler, args, outputs) = name switch
        {
            "link-from-source" => ("gcc", new[] { "a.c", "-o", "prog" }, new[] { "prog" }),
            "link-objects" => ("gcc", ["a.o", "-o", "prog"], ["prog"]),
            "several-sources" => ("gcc", ["-c", "a.c", "b.c"], ["a.o", "b.o"]),
            "preprocess-only" => ("gcc", ["-E", "a.c"], []),
            "dependencies-only" => ("gcc", ["-M", "a.c"], []),
            "syntax-only" => ("gcc", ["-fsyntax-only", "a.c"], []),
            "syntax-only-error" => ("gcc", ["-fsyntax-only", "bad.c"], []),
            "stdin-input" => ("gcc", ["-x", "c", "-c", "-", "-o", "stdin.o"], ["stdin.o"]),
            "save-temps" => ("gcc", ["-c", "-save-temps", "a.c", "-o", "a.o"], ["a.o", "a.i", "a.s"]),
            "unknown-language" => ("gcc", ["-c", "a.xyz"], []),
            "precompiled-header" => ("gcc", ["-x", "c-header", "-c", "h.h", "-o", "h.h.gch"], ["h.h.gch"]),
            "multiple-arch" => ("clang", ["-arch", "x86_64", "-arch", "arm64", "-c", "a.c", "-o", "a.o"], ["a.o"]),
            "output-to-stdout" => ("gcc", ["-c", "a.c", "-o", "-"], []),
            "compiler-version" => ("gcc", ["--version"], []),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        if (name == "link-objects")
        {
            Assert.Equal(0, env.Direct("gcc", "-c", "a.c", "-o", "a.o").ExitCode);
        }

        if (name == "stdin-input")
        {
            stdin = Encoding.UTF8.GetBytes("int from_stdin(void) { return 42; }\n");
        }

        // A precompiled header embeds per-compile data: check it exists, not its bytes.
        var compareOutputs = name != "precompiled-header";

        var reference = env.RunIn(env.WorkDir, compiler, args, stdin);
        var expected = outputs.Select(env.Read).ToArray();
        env.Delete(outputs);

        var cached = env.RunIn(env.WorkDir, TestEnvironment.Binary, [compiler, .. args], stdin);
        CompileCheck.AssertSameResult(reference, cached, name, env);
        var actual = outputs.Select(env.Read).ToArray();
        if (compareOutputs)
        {
            CompileCheck.AssertSameFiles(outputs, expected, actual, name);
        }

        var stats = env.WaitForStats(1);
        Assert.True(stats.RequestsNotCacheable + stats.RequestsNotCompile == 1,
            $"{name}: expected one request counted as not cacheable or not a compile:\n{stats.Json}");
        Assert.True(stats.CacheHits == 0 && stats.CacheMisses == 0 && stats.CacheWrites == 0, $"{name}: must not be cached:\n{stats.Json}");
        if (stats.RequestsNotCacheable == 1)
        {
            Assert.True(stats.NotCached.Values.Sum() >= 1, $"{name}: requests_not_cacheable without a named reason in not_cached:\n{stats.Json}");
        }
    }

    /// <summary>An included header with a precompiled sibling (<c>h.h.gch</c>, a file or a directory of variants): gcc compiles from it, no key sees it.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IncludedHeader_WithPrecompiledSibling_IsNotCached(bool variantsDirectory)
    {
        using var env = new TestEnvironment();
        env.Write("h.h", "#define VALUE 1\n");
        env.Write("a.c", Main);
        var pch = variantsDirectory ? "h.h.gch/default.gch" : "h.h.gch";
        Directory.CreateDirectory(Path.GetDirectoryName(env.PathOf(pch))!);
        Assert.Equal(0, env.Direct("gcc", "-x", "c-header", "-c", "h.h", "-o", pch).ExitCode);
        var reference = env.Direct("gcc", "-c", "a.c", "-o", "a.o");
        var expected = env.Read("a.o");

        for (var run = 1; run <= 2; run++)
        {
            env.Delete("a.o");
            var cached = env.Cached("gcc", "-c", "a.c", "-o", "a.o");
            CompileCheck.AssertSameResult(reference, cached, "pch sibling", env);
            Assert.Equal(expected, env.Read("a.o"));
            var stats = env.WaitForStats(run);
            Assert.True(stats.RequestsNotCacheable == run && stats.CacheHits == 0 && stats.CacheWrites == 0, $"run {run}: must not be cached:\n{stats.Json}");
        }
    }
}
