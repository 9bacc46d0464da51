using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Spec 6: @response files (nested, quoted arguments with spaces) are expanded and cached.</summary>
public sealed class ResponseFileTests
{
    private const string Source = """
        #include <string.h>
        const char *greeting(void) { return GREETING; }
        int x(void) { return X + (int)strlen(GREETING); }
        """;

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_NestedResponseFilesWithQuotedSpaces_HitsSecondTime(string compiler)
    {
        using var env = new TestEnvironment();
        env.Write("src.c", Source);
        Directory.CreateDirectory(env.PathOf("out dir"));
        env.Write("args.rsp", "-c -O2\n\"-DGREETING=\\\"hello world\\\"\" @more.rsp\nsrc.c\n");
        env.Write("more.rsp", "-DX=1 -o 'out dir/obj.o'\n");
        CompileCheck.MissThenHit(env, compiler, ["@args.rsp"], ["out dir/obj.o"]);
    }

    [Fact]
    public void Compile_ResponseFileContentChanges_Misses()
    {
        using var env = new TestEnvironment();
        env.Write("src.c", Source);
        env.Write("args.rsp", "-c -DGREETING=\\\"a\\\" -DX=1 src.c -o out.o\n");
        Assert.Equal(0, env.Cached("gcc", "@args.rsp").ExitCode);
        env.Write("args.rsp", "-c -DGREETING=\\\"a\\\" -DX=2 src.c -o out.o\n");
        Assert.Equal(0, env.Cached("gcc", "@args.rsp").ExitCode);
        Assert.Equal(0, env.Direct("gcc", "-c", "-DGREETING=\"a\"", "-DX=2", "src.c", "-o", "ref.o").ExitCode);
        Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read("out.o")), "response-file edit was not picked up: stale object");
        var stats = env.WaitForStats(2);
        Assert.True(stats.CacheMisses == 2 && stats.CacheHits == 0, stats.Json);
    }
}
