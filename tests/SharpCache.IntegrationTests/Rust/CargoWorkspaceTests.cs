using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Rust.RustWorkspace;

namespace SharpCache.IntegrationTests.Rust;

/// <summary>
/// <c>RUSTC_WRAPPER=sharpcache cargo build</c> on a real workspace (Debian's crate sources, offline).
/// Cacheable units are the library crates (rlib); the binary, build scripts and proc-macros link
/// with the system linker and run uncached with a named reason.
/// </summary>
public sealed class CargoWorkspaceTests
{
    private const string Warning = "unused variable: `unused_value`";

    [Fact]
    public void CargoBuild_CleanRebuildAndSecondCheckout_AllCacheableUnitsHit()
    {
        using var env = new TestEnvironment();
        var a = Path.Combine(env.Root, "a");
        var b = Path.Combine(env.Root, "b");
        env.Env["SCCACHE_BASEDIRS"] = a + ":" + b;
        var first = Create(env, a);

        var cold = first.Build(env);
        var coldStats = SettledStats(env);
        var misses = Misses(coldStats);
        var expected = first.RunApp(env);
        Assert.True(misses >= 20, "expected the library crates to be cache misses:\n" + coldStats.Json);
        Assert.Equal(0, Hits(coldStats));
        Assert.Contains(coldStats.NotCached.Keys, k => k.StartsWith("crate-type bin", StringComparison.Ordinal));
        Assert.Contains(coldStats.NotCached.Keys, k => k.StartsWith("crate-type proc-macro", StringComparison.Ordinal));
        Assert.Contains(Warning, cold.StderrText, StringComparison.Ordinal);

        // cargo clean: every library comes back from the cache, warnings included.
        Assert.Equal(0, first.Cargo(env, "clean").ExitCode);
        var warm = first.Build(env);
        var warmStats = SettledStats(env);
        Assert.Equal(misses, Hits(warmStats));
        Assert.Equal(misses, Misses(warmStats));
        Assert.Equal(expected, first.RunApp(env));
        Assert.Contains(Warning, warm.StderrText, StringComparison.Ordinal);
        Assert.Contains("--> core_lib/src/lib.rs", warm.StderrText, StringComparison.Ordinal);

        // Another checkout under SCCACHE_BASEDIRS shares every entry.
        var second = Create(env, b);
        var other = second.Build(env);
        var otherStats = SettledStats(env);
        Assert.Equal(2 * misses, Hits(otherStats));
        Assert.Equal(misses, Misses(otherStats));
        Assert.Equal(expected, second.RunApp(env));
        Assert.Contains(Warning, other.StderrText, StringComparison.Ordinal);
        Assert.DoesNotContain(a, other.StderrText, StringComparison.Ordinal);
        foreach (var depInfo in Directory.GetFiles(Path.Combine(b, "target", "debug", "deps"), "*.d"))
        {
            Assert.DoesNotContain(a + "/", File.ReadAllText(depInfo), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CargoBuild_SourceFeatureEnvAndCfgChanges_Miss()
    {
        using var env = new TestEnvironment();
        var ws = Create(env, Path.Combine(env.Root, "ws"));
        ws.Build(env);
        var baseline = SettledStats(env);
        var misses = Misses(baseline);
        var hits = Hits(baseline);
        Assert.Contains("\"greeting\":\"hello\"", ws.RunApp(env), StringComparison.Ordinal);

        // A source file.
        ws.Edit("core_lib/src/lib.rs", "None => \"hello\"", "None => \"howdy\"");
        ws.Build(env);
        var afterEdit = SettledStats(env);
        Assert.Equal(misses + 1, Misses(afterEdit));
        Assert.Equal(hits, Hits(afterEdit));
        Assert.Contains("\"greeting\":\"howdy\"", ws.RunApp(env), StringComparison.Ordinal);

        // A feature (a --cfg from cargo).
        ws.Build(env, "--features", "app/shout");
        var afterFeature = SettledStats(env);
        Assert.Equal(misses + 2, Misses(afterFeature));
        Assert.Contains("\"greeting\":\"HOWDY\"", ws.RunApp(env), StringComparison.Ordinal);

        // A variable read by option_env! (dep-info env-dep).
        env.Env["CORE_LIB_GREETING"] = "salut";
        ws.Build(env);
        var afterEnv = SettledStats(env);
        Assert.Equal(misses + 3, Misses(afterEnv));
        Assert.Contains("\"greeting\":\"salut\"", ws.RunApp(env), StringComparison.Ordinal);

        // Back to the original source and environment: cargo rebuilds, the cache has it.
        env.Env.Remove("CORE_LIB_GREETING");
        ws.Edit("core_lib/src/lib.rs", "None => \"howdy\"", "None => \"hello\"");
        ws.Build(env);
        var afterRevert = SettledStats(env);
        Assert.Equal(misses + 3, Misses(afterRevert));
        Assert.Equal(hits + 1, Hits(afterRevert));
        Assert.Contains("\"greeting\":\"hello\"", ws.RunApp(env), StringComparison.Ordinal);

        // RUSTFLAGS --cfg reaches every crate: all of them miss.
        env.Env["RUSTFLAGS"] = "--cfg core_lib_extra";
        ws.Build(env);
        var afterCfg = SettledStats(env);
        Assert.Equal((2 * misses) + 3, Misses(afterCfg));
        Assert.Equal(hits + 1, Hits(afterCfg));
        Assert.Contains("(extra)", ws.RunApp(env), StringComparison.Ordinal);
    }
}
