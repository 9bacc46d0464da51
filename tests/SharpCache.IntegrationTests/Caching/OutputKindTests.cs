using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Spec 2: every extra output (depfile, .dwo, .gcno, diagnostics) is restored exactly.</summary>
public sealed class OutputKindTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_DepfileWithMF_RestoresIdenticalDepfile(string compiler)
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, compiler);
        CompileCheck.MissThenHit(env, compiler, ["-c", "src.c", "-o", "out.o", "-MD", "-MF", "out.d"], ["out.o", "out.d"]);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_MmdWithoutMF_RestoresDepfileWithDerivedName(string compiler)
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, compiler);
        Directory.CreateDirectory(env.PathOf("obj"));
        CompileCheck.MissThenHit(env, compiler, ["-c", "src.c", "-o", "obj/src.o", "-MMD"], ["obj/src.o", "obj/src.d"]);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_CustomDepTargets_RestoresDepfileWithThoseTargets(string compiler)
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, compiler);
        Directory.CreateDirectory(env.PathOf("deps"));
        CompileCheck.MissThenHit(
            env, compiler,
            ["-c", "src.c", "-o", "out.o", "-MD", "-MF", "deps/out.d", "-MT", "custom_target", "-MQ", "$weird target", "-MP"],
            ["out.o", "deps/out.d"]);
        Assert.Contains("custom_target", TestEnvironment.Text(env.Read("deps/out.d")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_SplitDwarf_RestoresDwo(string compiler)
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, compiler);
        CompileCheck.MissThenHit(env, compiler, ["-c", "src.c", "-o", "out.o", "-g", "-gsplit-dwarf"], ["out.o", "out.dwo"]);
    }

    [Fact]
    public void Compile_Coverage_RestoresGcnoMatchingTheObject()
    {
        using var env = new TestEnvironment();
        Sources.WriteFor(env, "gcc");
        // gcc stamps .o and .gcno with a per-compile value, so two uncached compiles differ: the hit
        // must restore the stored pair, which must stay consistent with each other.
        CompileCheck.MissThenHit(env, "gcc", ["-c", "src.c", "-o", "out.o", "--coverage"], ["out.o", "out.gcno"], deterministic: false);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_PreprocessorWarning_ReplaysStderrOnHit(string compiler)
    {
        using var env = new TestEnvironment();
        env.Write("warn.c", "#warning \"hello from the preprocessor\"\nint f(void) { return 1; }\n");
        CompileCheck.MissThenHit(env, compiler, ["-c", "warn.c", "-o", "warn.o"], ["warn.o"]);
        var hit = env.Cached(compiler, "-c", "warn.c", "-o", "warn.o");
        Assert.Contains("hello from the preprocessor", hit.StderrText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_CompilerWarning_ReplaysStderrOnHit(string compiler)
    {
        using var env = new TestEnvironment();
        env.Write("warn.c", "int f(int x)\n{\n    int unused_variable;\n    return x;\n}\n");
        CompileCheck.MissThenHit(env, compiler, ["-Wall", "-c", "warn.c", "-o", "warn.o"], ["warn.o"]);
        var hit = env.Cached(compiler, "-Wall", "-c", "warn.c", "-o", "warn.o");
        Assert.Contains("unused_variable", hit.StderrText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_ColorDiagnosticsRequested_ReplaysColoredStderr(string compiler)
    {
        using var env = new TestEnvironment();
        env.Write("warn.c", "int f(int x)\n{\n    int unused_variable;\n    return x;\n}\n");
        CompileCheck.MissThenHit(env, compiler, ["-fdiagnostics-color=always", "-Wall", "-c", "warn.c", "-o", "warn.o"], ["warn.o"]);
        var hit = env.Cached(compiler, "-fdiagnostics-color=always", "-Wall", "-c", "warn.c", "-o", "warn.o");
        Assert.Contains("\u001b[", hit.StderrText, StringComparison.Ordinal);
    }
}
