using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// <c>[dist] rewrite_includes_only = true</c> through a real scheduler and build server: gcc sends
/// <c>-fdirectives-only</c> text, clang <c>-frewrite-includes</c> text, macros are expanded on the server, so a
/// warning inside a macro reads as it does locally (the note naming the macro; byte for byte with clang, with gcc up to
/// the column of a location inside a macro body), and objects equal local ones.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistRewriteIncludesTests(LuaReference reference)
{
    private const string MacroWarning = """
        #include <stdio.h>
        #define LESS(a, b) ((a) < (b))
        int f(unsigned u, int i)
        {
          return LESS(u, i) + printf("%d\n", i);
        }

        """;

    private const string Broken = "#include <stdio.h>\n#define TWICE(x) ((x) * 2)\nint g(int x) { return TWICE(x) }\n";

    /// <summary>A scheduler, one build server and a client in rewrite mode (C locale) with <paramref name="name"/> written.</summary>
    private static async Task<(DistCluster Cluster, DistClient Client)> StartAsync(string name, string source)
    {
        var cluster = await DistCluster.WithOneServerAsync(FreePort.Next());
        var client = new DistClient(cluster.SchedulerUrl, distKeys: "rewrite_includes_only = true");
        client.Env.Write(name, source);
        client.Env.Env["LC_ALL"] = "C";
        return (cluster, client);
    }

    [Fact]
    public async Task LuaBuild_RewriteIncludesOnly_ObjectsEqualLocal_EveryCompileDistributed()
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl, distKeys: "rewrite_includes_only = true");
        var src = client.CopyLua();

        client.BuildLua(src);

        reference.AssertSameObjects(src, client.DaemonLog);
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= 34, TimeSpan.FromSeconds(10));
        var context = stats + client.Env.DaemonLogTail() + cluster.Logs();
        Assert.True(stats.Errors == 0 && stats.TotalCompiles == 34, context);
        Assert.Equal(34, stats.Compiles[$"127.0.0.1:{port}"]);
    }

    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public async Task MacroWarning_DiagnosticsAndObjectAsLocal(string compiler)
    {
        var path = HostTools.Find(compiler);
        Assert.True(path is not null, compiler + " is not on PATH (scripts/test.sh installs it)");
        var (cluster, client) = await StartAsync("m.c", MacroWarning);
        using var _ = cluster;
        using var __ = client;

        var local = client.Env.Direct(compiler, "-c", "-Wall", "-Wextra", "-DEXTRA=1", "m.c", "-o", "m-local.o");
        var remote = client.Env.Cached(compiler, "-c", "-Wall", "-Wextra", "-DEXTRA=1", "m.c", "-o", "m.o");

        var context = $"local: {local.Describe()}\nremote: {remote.Describe()}{client.Env.DaemonLogTail()}";
        Assert.True(local.ExitCode == 0 && remote.ExitCode == 0, context);
        var macroNote = compiler == "clang" ? "expanded from macro 'LESS'" : "in expansion of macro 'LESS'";
        Assert.Contains(macroNote, local.StderrText, StringComparison.Ordinal);
        Assert.Contains(macroNote, remote.StderrText, StringComparison.Ordinal); // the server expanded it
        if (compiler == "clang")
        {
            Assert.True(local.Stderr.AsSpan().SequenceEqual(remote.Stderr), context);
        }
        else
        {
            // gcc's directives-only text re-emits each #define with its whitespace normalized ("LESS(a,b)"): a
            // location inside a macro body can be a column off; every line, message and quote is the same.
            static string Columnless(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"^(\S+?:\d+):\d+:", "$1:", System.Text.RegularExpressions.RegexOptions.Multiline);
            static string NoCarets(string text) => string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith('|'))); // "   |   ^~~" lines
            Assert.True(NoCarets(Columnless(local.StderrText)) == NoCarets(Columnless(remote.StderrText)), context);
        }

        Assert.Equal(client.Env.Read("m-local.o"), client.Env.Read("m.o"));
        var stats = client.WaitForStats(s => s.TotalCompiles >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.TotalCompiles == 1 && stats.Errors == 0, stats + context);
    }

    [Fact]
    public async Task RemoteError_CompiledAgainLocally_LocalDiagnosticsAndExitCode()
    {
        var (cluster, client) = await StartAsync("bad.c", Broken);
        using var _ = cluster;
        using var __ = client;

        var local = client.Env.Direct("gcc", "-c", "bad.c", "-o", "bad.o");
        var remote = client.Env.Cached("gcc", "-c", "bad.c", "-o", "bad.o");

        // SCCACHE_LOG is set: the client says why it compiled again, on lines of its own.
        var context = $"local: {local.Describe()}\nremote: {remote.Describe()}{client.Env.DaemonLogTail()}";
        var compilerLines = string.Concat(remote.StderrText.Split('\n').Where(l => !l.StartsWith("sharpcache:", StringComparison.Ordinal)).Select(l => l + "\n")).TrimEnd('\n');
        Assert.NotEqual(0, local.ExitCode);
        Assert.True(local.ExitCode == remote.ExitCode, context);
        Assert.True(local.StderrText.TrimEnd('\n') == compilerLines, context);
        Assert.Contains("include-rewritten compile failed", remote.StderrText, StringComparison.Ordinal);
        Assert.False(File.Exists(client.Env.PathOf("bad.o")));

        // It ran here in the end: not a distributed compilation, and not a dist error (the text failed, not the cluster).
        var stats = client.WaitForStats(s => s.All.CompileFails >= 1, TimeSpan.FromSeconds(10));
        Assert.True(stats.All.CompileFails == 1 && stats.TotalCompiles == 0 && stats.Errors == 0, stats + context);
    }
}
