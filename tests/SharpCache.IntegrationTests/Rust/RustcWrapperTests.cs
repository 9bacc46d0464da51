using System.Text;
using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Rust.RustWorkspace;

namespace SharpCache.IntegrationTests.Rust;

/// <summary><c>sharpcache rustc ...</c> called directly: probes, key inputs, not-cacheable reasons, diagnostics replay.</summary>
public sealed class RustcWrapperTests
{
    private const string Library = "pub fn answer() -> u32 { let unused = 1; 42 }\npub mod extra;\n";

    private static TestEnvironment NewEnv()
    {
        var env = new TestEnvironment();
        env.Env.Remove("CARGO_INCREMENTAL");
        env.Write("src/lib.rs", Library);
        env.Write("src/extra.rs", "pub const X: u32 = 1;\n");
        return env;
    }

    /// <summary>cargo's shape of a library compile; like cargo, creates the output directory (rustc does not for dep-info).</summary>
    private static string[] LibArgs(string outDir, params string[] extra)
    {
        Directory.CreateDirectory(outDir);
        return
        [
        "--crate-name", "demo", "--edition=2021", "src/lib.rs", "--error-format=json",
        "--json=diagnostic-rendered-ansi,artifacts,future-incompat", "--crate-type", "lib",
        "--emit=dep-info,metadata,link", "-C", "extra-filename=-0123", "--out-dir", outDir, .. extra,
        ];
    }

    private static ProcessResult Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    private static string RealRustc(TestEnvironment env)
    {
        var sysroot = env.Direct("rustc", "--print", "sysroot").StdoutText.Trim();
        return Path.Combine(sysroot, "bin", "rustc");
    }

    [Fact]
    public void Probe_VersionOutput_PassesThroughAsNotCompile()
    {
        using var env = NewEnv();

        var cached = Ok(env.Cached("rustc", "-vV"));

        Assert.Equal(env.Direct("rustc", "-vV").StdoutText, cached.StdoutText);
        var stats = SettledStats(env);
        Assert.Equal(1, stats.RequestsNotCompile);
    }

    [Fact]
    public void Compile_SecondTimeInAnotherOutDir_HitsWithIdenticalFilesAndRewrittenJson()
    {
        using var env = NewEnv();
        var out1 = env.PathOf("out1");
        var out2 = env.PathOf("out2");

        var miss = Ok(env.Cached("rustc", LibArgs(out1)));
        var hit = Ok(env.Cached("rustc", LibArgs(out2)));

        var stats = SettledStats(env);
        Assert.Equal(1, Misses(stats));
        Assert.Equal(1, Hits(stats));
        Assert.Contains("\"$message_type\":\"diagnostic\"", miss.StderrText, StringComparison.Ordinal);
        Assert.Contains("\"artifact\":\"" + out1 + "/libdemo-0123.rmeta\"", miss.StderrText, StringComparison.Ordinal);
        Assert.Equal(miss.StderrText.Replace(out1, out2, StringComparison.Ordinal), hit.StderrText);
        foreach (var name in new[] { "libdemo-0123.rlib", "libdemo-0123.rmeta" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(out1, name)), File.ReadAllBytes(Path.Combine(out2, name)));
        }

        var depInfo = File.ReadAllText(Path.Combine(out2, "demo-0123.d"));
        Assert.Contains(out2 + "/libdemo-0123.rlib:", depInfo, StringComparison.Ordinal);
        Assert.DoesNotContain(out1, depInfo, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ModuleChangedOrCfgChanged_Misses_CfgOrderHits()
    {
        using var env = NewEnv();
        var outDir = env.PathOf("out");

        Ok(env.Cached("rustc", LibArgs(outDir, "--cfg", "alpha", "--cfg", "beta")));
        Ok(env.Cached("rustc", LibArgs(outDir, "--cfg", "beta", "--cfg", "alpha")));
        Ok(env.Cached("rustc", LibArgs(outDir, "--cfg", "beta", "--cfg", "gamma")));
        env.Write("src/extra.rs", "pub const X: u32 = 2;\n");
        Ok(env.Cached("rustc", LibArgs(outDir, "--cfg", "beta", "--cfg", "gamma")));

        var stats = SettledStats(env);
        Assert.Equal(1, Hits(stats));
        Assert.Equal(3, Misses(stats));
    }

    [Fact]
    public void Compile_EmitLinkOnly_UsesADepInfoRunAndSeesModules()
    {
        using var env = NewEnv();
        string[] args = ["--crate-name", "demo", "src/lib.rs", "--crate-type", "rlib", "--emit=link", "--out-dir", env.PathOf("out")];

        Ok(env.Cached("rustc", args));
        File.Delete(env.PathOf("out/libdemo.rlib"));
        Ok(env.Cached("rustc", args));
        Assert.True(File.Exists(env.PathOf("out/libdemo.rlib")));
        Assert.False(File.Exists(env.PathOf("out/demo.d")));
        env.Write("src/extra.rs", "pub const X: u32 = 3;\n");
        Ok(env.Cached("rustc", args));

        var stats = SettledStats(env);
        Assert.Equal(1, Hits(stats));
        Assert.Equal(2, Misses(stats));
    }

    [Fact]
    public void Compile_RustcVersionChanged_Misses()
    {
        using var env = NewEnv();
        var real = RealRustc(env);
        var fake = Path.Combine(env.Root, "fakebin", "rustc");
        Directory.CreateDirectory(Path.GetDirectoryName(fake)!);
        void WriteFake(string patch)
        {
            File.WriteAllText(fake, $"#!/bin/sh\nif [ \"$1\" = \"-vV\" ]; then \"{real}\" -vV; echo \"patch: {patch}\"; exit 0; fi\nexec \"{real}\" \"$@\"\n");
            File.SetUnixFileMode(fake, (UnixFileMode)0x1ED);
        }

        var outDir = env.PathOf("out");
        Ok(env.Cached(real, LibArgs(outDir)));
        WriteFake("1");
        Ok(env.Cached(fake, LibArgs(outDir)));
        Ok(env.Cached(fake, LibArgs(outDir)));
        WriteFake("22");
        Ok(env.Cached(fake, LibArgs(outDir)));

        var stats = SettledStats(env);
        Assert.Equal(3, Misses(stats));
        Assert.Equal(1, Hits(stats));
    }

    [Fact]
    public void Compile_NotCacheableCalls_RunWithNamedReasons()
    {
        using var env = NewEnv();

        Ok(env.Cached("rustc", LibArgs(env.PathOf("inc"), "-C", "incremental=" + env.PathOf("incdir"))));
        env.Env["CARGO_INCREMENTAL"] = "1";
        Ok(env.Cached("rustc", LibArgs(env.PathOf("inc2"))));

        Assert.True(File.Exists(env.PathOf("inc2/libdemo-0123.rlib")));
        var stats = SettledStats(env);
        Assert.Equal(2, stats.NotCached.GetValueOrDefault("incremental compilation"));
        Assert.Equal(0, Misses(stats));
    }

    [Fact]
    public void Compile_ExecutableWithoutDepInfo_CachedAndRunnable()
    {
        using var env = NewEnv();
        env.Write("src/main.rs", "fn main() { println!(\"hi\"); }\n");

        Ok(env.Cached("rustc", "--crate-name", "hello", "src/main.rs", "--crate-type", "bin", "--emit=link", "--out-dir", env.PathOf("bin")));
        Ok(env.Cached("rustc", "--crate-name", "hello", "src/main.rs", "--crate-type", "bin", "--emit=link", "--out-dir", env.PathOf("bin2")));

        Assert.Equal("hi\n", env.RunIn(env.WorkDir, env.PathOf("bin2/hello"), []).StdoutText);
        var stats = SettledStats(env);
        Assert.Equal(1, Misses(stats));
        Assert.Equal(1, Hits(stats));
    }

    [Fact]
    public void Compile_Error_ExitCodeAndDiagnosticsPassThrough_NothingCached()
    {
        using var env = NewEnv();
        env.Write("src/lib.rs", "pub fn broken() -> u32 { \"no\" }\n");

        var first = env.Cached("rustc", LibArgs(env.PathOf("out")));
        var direct = env.Direct("rustc", LibArgs(env.PathOf("out")));

        Assert.Equal(direct.ExitCode, first.ExitCode);
        Assert.NotEqual(0, first.ExitCode);
        Assert.Equal(Encoding.UTF8.GetString(direct.Stderr), first.StderrText);
        var stats = SettledStats(env);
        Assert.Equal(1, stats.CompileFails);
    }
}
