using SharpCache.IntegrationTests.Infrastructure;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// A compile that fails on the build server for the user's reasons: the client prints the remote
/// diagnostics and exits with the remote exit code, byte for byte what gcc prints locally, and does
/// not compile again. The compiler is a logging wrapper around gcc (a <c>path_override</c> toolchain
/// sends the real gcc to the cluster), so its log shows every local run.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class DistCompileErrorTests
{
    private const string Broken = "int twice(int x)\n{\n  int y = x * 2\n  return y;\n}\n";

    private const string Warned = "int twice(int x)\n{\n  int unused;\n  return x * 2;\n}\n";

    [Fact]
    public async Task SyntaxError_RemoteDiagnosticsAndExitCodeAsLocalGcc_NoLocalRetry()
    {
        using var cluster = new DistCluster();
        cluster.StartScheduler();
        cluster.StartServer("a", FreePort.Next());
        var gcc = HostTools.RealGcc();
        var wrapperDir = Directory.CreateDirectory(Path.Combine(cluster.Root, "wrapper")).FullName;
        var invocations = Path.Combine(wrapperDir, "invocations.log");
        var wrapper = Path.Combine(wrapperDir, "gcc");
        HostTools.Script(wrapper, $"printf '%s\\n' \"$*\" >> '{invocations}'\nexec '{gcc}' \"$@\"\n");
        var archive = Path.Combine(cluster.Root, "gcc.tar.gz");
        using var client = new DistClient(cluster.SchedulerUrl, extraConfig: $"""
            [[dist.toolchains]]
            type = "path_override"
            compiler_executable = "{wrapper}"
            archive = "{archive}"
            archive_compiler_executable = "{gcc}"
            """);
        var package = client.Env.SharpCache("--package-toolchain", gcc, archive);
        Assert.True(package.ExitCode == 0, package.Describe());
        await cluster.WaitForServersAsync(1);
        client.Env.Write("bad.c", Broken);
        client.Env.Write("warn.c", Warned);

        var compiled = 0;
        foreach (var lang in new[] { "C.UTF-8", null })
        {
            client.Env.Env.Remove("LC_ALL");
            client.Env.Env["LANG"] = lang;
            var local = client.Env.Direct(gcc, "-c", "-Wall", "bad.c", "-o", "bad.o");
            Assert.NotEqual(0, local.ExitCode);
            Assert.Contains("error", local.StderrText, StringComparison.Ordinal);
            Assert.Equal(lang is not null, local.StderrText.Contains('\u2018', StringComparison.Ordinal));
            File.Delete(invocations);

            var remote = client.Env.Cached(wrapper, "-c", "-Wall", "bad.c", "-o", "bad.o");
            compiled++;

            var context = $"LANG={lang}\nlocal: {local.Describe()}\nremote: {remote.Describe()}{client.Env.DaemonLogTail()}";
            Assert.True(local.ExitCode == remote.ExitCode, context);
            Assert.True(local.Stderr.AsSpan().SequenceEqual(remote.Stderr), context);
            Assert.Equal(local.Stdout, remote.Stdout);
            Assert.False(File.Exists(client.Env.PathOf("bad.o")), context);
            var stats = client.WaitForStats(s => s.TotalCompiles >= compiled, TimeSpan.FromSeconds(10));
            Assert.True(stats.TotalCompiles == compiled && stats.Errors == 0, stats + context);
            var runs = File.ReadAllLines(invocations).Where(l => l.Contains("bad.c", StringComparison.Ordinal)).ToList();
            Assert.True(runs.Count == 1 && runs[0].Contains("-E", StringComparison.Ordinal), "the wrapper ran more than the preprocessor:\n" + string.Join("\n", runs));
        }

        // A warning only: the object comes back and the warning is printed exactly as locally.
        var warnLocal = client.Env.Direct(gcc, "-c", "-Wall", "warn.c", "-o", "warn-local.o");
        Assert.Equal(0, warnLocal.ExitCode);
        Assert.Contains("unused", warnLocal.StderrText, StringComparison.Ordinal);
        var warnRemote = client.Env.Cached(wrapper, "-c", "-Wall", "warn.c", "-o", "warn.o");
        Assert.True(warnRemote.ExitCode == 0, warnRemote.Describe() + client.Env.DaemonLogTail());
        Assert.Equal(warnLocal.Stderr, warnRemote.Stderr);
        Assert.Equal(client.Env.Read("warn-local.o"), client.Env.Read("warn.o"));
        var final = client.WaitForStats(s => s.TotalCompiles >= compiled + 1, TimeSpan.FromSeconds(10));
        Assert.True(final.TotalCompiles == compiled + 1 && final.Errors == 0, final.ToString());
        Assert.Equal(2, final.All.CompileFails);
    }
}
