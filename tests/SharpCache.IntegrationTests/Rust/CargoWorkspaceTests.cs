using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Rust.RustWorkspace;

namespace SharpCache.IntegrationTests.Rust;

/// <summary>
/// <c>RUSTC_WRAPPER=sharpcache cargo build</c> on a real workspace (Debian's crate sources, offline).
/// Every unit is cacheable: library crates (rlib), and the binary, build scripts and proc-macros
/// that rustc links with the system linker.
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
        Assert.True(misses >= 35, "expected every unit (libraries, build scripts, proc-macros, app) to be a cache miss:\n" + coldStats.Json);
        Assert.Equal(0, Hits(coldStats));
        Assert.Empty(coldStats.NotCached);
        Assert.Contains(Warning, cold.StderrText, StringComparison.Ordinal);

        // cargo clean: every unit comes back from the cache (build scripts run, the app runs), warnings included.
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
        var explain = Path.Combine(env.Root, "explain.log");
        env.Env["SHARPCACHE_EXPLAIN"] = explain;
        ws.Build(env);
        var baseline = SettledStats(env);
        var misses = Misses(baseline);
        var hits = Hits(baseline);
        Assert.Contains("\"greeting\":\"hello\"", ws.RunApp(env), StringComparison.Ordinal);

        // A source file: core_lib misses, and so does app, whose --extern core_lib rlib changed.
        ws.Edit("core_lib/src/lib.rs", "None => \"hello\"", "None => \"howdy\"");
        ws.Build(env);
        var afterEdit = SettledStats(env);
        Assert.Equal(misses + 2, Misses(afterEdit));
        Assert.Equal(hits, Hits(afterEdit));
        Assert.Contains("\"greeting\":\"howdy\"", ws.RunApp(env), StringComparison.Ordinal);
        var log = File.ReadAllText(explain);
        Assert.True(log.Contains("rust crate core_lib (lib, core_lib/src/lib.rs): miss: crate root source changed: core_lib/src/lib.rs", StringComparison.Ordinal), log);
        Assert.Contains("rust crate app (bin, app/src/main.rs): miss: dependency (--extern) core_lib changed", log, StringComparison.Ordinal);

        // A feature (a --cfg from cargo).
        ws.Build(env, "--features", "app/shout");
        var afterFeature = SettledStats(env);
        Assert.Equal(misses + 4, Misses(afterFeature));
        Assert.Contains("\"greeting\":\"HOWDY\"", ws.RunApp(env), StringComparison.Ordinal);
        Assert.Contains("--cfg added: feature=\"shout\"", File.ReadAllText(explain), StringComparison.Ordinal);

        // A variable read by option_env! (dep-info env-dep).
        env.Env["CORE_LIB_GREETING"] = "salut";
        ws.Build(env);
        var afterEnv = SettledStats(env);
        Assert.Equal(misses + 6, Misses(afterEnv));
        Assert.Contains("\"greeting\":\"salut\"", ws.RunApp(env), StringComparison.Ordinal);

        // Back to the original source and environment: cargo rebuilds, the cache has both units.
        env.Env.Remove("CORE_LIB_GREETING");
        ws.Edit("core_lib/src/lib.rs", "None => \"howdy\"", "None => \"hello\"");
        ws.Build(env);
        var afterRevert = SettledStats(env);
        Assert.Equal(misses + 6, Misses(afterRevert));
        Assert.Equal(hits + 2, Hits(afterRevert));
        Assert.Contains("\"greeting\":\"hello\"", ws.RunApp(env), StringComparison.Ordinal);

        // RUSTFLAGS --cfg reaches every unit (build scripts and proc-macros too): all of them miss.
        env.Env["RUSTFLAGS"] = "--cfg core_lib_extra";
        ws.Build(env);
        var afterCfg = SettledStats(env);
        Assert.Equal((2 * misses) + 6, Misses(afterCfg));
        Assert.Equal(hits + 2, Hits(afterCfg));
        Assert.Contains("(extra)", ws.RunApp(env), StringComparison.Ordinal);
    }
}
