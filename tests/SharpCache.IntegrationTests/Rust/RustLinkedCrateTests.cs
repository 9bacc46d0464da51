using SharpCache.IntegrationTests.Infrastructure;
using static SharpCache.IntegrationTests.Rust.RustWorkspace;

namespace SharpCache.IntegrationTests.Rust;

/// <summary>
/// Executables and proc-macros are cached: cargo-shaped direct rustc calls for
/// <c>leaf</c> (rlib) ← <c>middle</c> (rlib) ← <c>app</c> (bin, also using the <c>pm</c>
/// proc-macro). <c>app</c> names only <c>middle</c> and <c>pm</c> with <c>--extern</c>; the
/// linker reads <c>leaf</c> through <c>-L dependency=</c>.
/// </summary>
public sealed class RustLinkedCrateTests
{
    private const string Leaf = "pub fn value() -> u32 { 1 }\n";
    private const string ProcMacro = "extern crate proc_macro;\nuse proc_macro::TokenStream;\n#[proc_macro]\npub fn answer(_: TokenStream) -> TokenStream { \"40\".parse().unwrap() }\n";

    private static TestEnvironment NewEnv()
    {
        var env = new TestEnvironment();
        env.Env.Remove("CARGO_INCREMENTAL");
        env.Write("leaf/lib.rs", Leaf);
        env.Write("middle/lib.rs", "pub fn twice() -> u32 { leaf::value() * 2 }\n");
        env.Write("pm/lib.rs", ProcMacro);
        env.Write("app/main.rs", "fn main() { println!(\"{}\", middle::twice() + pm::answer!()); }\n");
        return env;
    }

    private static string[] Args(TestEnvironment env, string crate, string source, string type, params string[] extra)
    {
        var outDir = env.PathOf("out");
        Directory.CreateDirectory(outDir);
        return
        [
            "--crate-name", crate, "--edition=2021", source, "--error-format=json", "--json=diagnostic-rendered-ansi,artifacts,future-incompat",
            "--crate-type", type, "--emit=dep-info,link", "-C", "embed-bitcode=no", "-C", "extra-filename=-0f", "--out-dir", outDir,
            "-L", "dependency=" + outDir, .. extra,
        ];
    }

    /// <summary>cargo's order: leaf, middle, pm, app; returns app's output.</summary>
    private static string BuildAll(TestEnvironment env)
    {
        var outDir = env.PathOf("out");
        Ok(env.Cached("rustc", Args(env, "leaf", "leaf/lib.rs", "lib")));
        Ok(env.Cached("rustc", Args(env, "middle", "middle/lib.rs", "lib", "--extern", "leaf=" + outDir + "/libleaf-0f.rlib")));
        Ok(env.Cached("rustc", Args(env, "pm", "pm/lib.rs", "proc-macro", "--extern", "proc_macro")));
        Ok(env.Cached("rustc", Args(env, "app", "app/main.rs", "bin", "--extern", "middle=" + outDir + "/libmiddle-0f.rlib", "--extern", "pm=" + outDir + "/libpm-0f.so")));
        var run = env.RunIn(env.WorkDir, Path.Combine(outDir, "app-0f"), []);
        Assert.True(run.ExitCode == 0, run.Describe());
        return run.StdoutText.Trim();
    }

    private static ProcessResult Ok(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    [Fact]
    public void LinkedCrates_CleanRebuildHits_TransitiveAndProcMacroChangesMiss()
    {
        using var env = NewEnv();
        var explain = Path.Combine(env.Root, "explain.log");
        env.Env["SHARPCACHE_EXPLAIN"] = explain;

        Assert.Equal("42", BuildAll(env));
        var app = File.ReadAllBytes(env.PathOf("out/app-0f"));
        var middle = File.ReadAllBytes(env.PathOf("out/libmiddle-0f.rlib"));
        var stats = SettledStats(env);
        Assert.Equal(4, Misses(stats));
        Assert.Empty(stats.NotCached);

        // "cargo clean": everything comes back from the cache, the executable runnable and identical.
        Directory.Delete(env.PathOf("out"), recursive: true);
        Assert.Equal("42", BuildAll(env));
        Assert.Equal(app, File.ReadAllBytes(env.PathOf("out/app-0f")));
        Assert.True((File.GetUnixFileMode(env.PathOf("out/app-0f")) & UnixFileMode.UserExecute) != 0);
        Assert.True(File.Exists(env.PathOf("out/app-0f.d")));
        stats = SettledStats(env);
        Assert.Equal(4, Hits(stats));
        Assert.Equal(4, Misses(stats));

        // A transitive dependency's function body: the direct dependency's rlib changes (it embeds
        // leaf's crate hash), so the executable, which names only middle, misses and relinks.
        env.Write("leaf/lib.rs", Leaf.Replace("{ 1 }", "{ 5 }", StringComparison.Ordinal));
        Assert.Equal("50", BuildAll(env));
        Assert.NotEqual(middle, File.ReadAllBytes(env.PathOf("out/libmiddle-0f.rlib")));
        stats = SettledStats(env);
        Assert.Equal(7, Misses(stats));
        Assert.Equal(5, Hits(stats));
        var log = File.ReadAllText(explain);
        Assert.True(log.Contains("rust crate leaf (lib, leaf/lib.rs): miss: crate root source changed: leaf/lib.rs", StringComparison.Ordinal), log);
        Assert.Contains("rust crate app (bin, app/main.rs): miss: dependency (--extern) middle changed", log, StringComparison.Ordinal);

        // The proc-macro's source: the macro and the executable miss.
        env.Write("pm/lib.rs", ProcMacro.Replace("\"40\"", "\"41\"", StringComparison.Ordinal));
        Assert.Equal("51", BuildAll(env));
        stats = SettledStats(env);
        Assert.Equal(9, Misses(stats));
        Assert.Equal(7, Hits(stats));
        Assert.Contains("rust crate app (bin, app/main.rs): miss: dependency (--extern) pm changed", File.ReadAllText(explain), StringComparison.Ordinal);

        // Back to the original sources: every crate, the executable included, hits.
        env.Write("leaf/lib.rs", Leaf);
        env.Write("pm/lib.rs", ProcMacro);
        Assert.Equal("42", BuildAll(env));
        Assert.Equal(app, File.ReadAllBytes(env.PathOf("out/app-0f")));
        stats = SettledStats(env);
        Assert.Equal(9, Misses(stats));
        Assert.Equal(11, Hits(stats));
    }

    [Fact]
    public void Executable_LinkerOrNativeLibraryChanged_Misses()
    {
        using var env = NewEnv();
        env.Write("main.rs", "fn main() { println!(\"hi\"); }\n");
        var native = Path.Combine(env.Root, "native");
        Directory.CreateDirectory(native);
        File.WriteAllText(Path.Combine(native, "libextra.a"), "!<arch>\n");
        var explain = Path.Combine(env.Root, "explain.log");
        env.Env["SHARPCACHE_EXPLAIN"] = explain;
        string[] Bin() => Args(env, "hello", "main.rs", "bin", "-L", "native=" + native);

        Ok(env.Cached("rustc", Bin()));
        Ok(env.Cached("rustc", Bin()));

        // A library in a -L native= directory (a build script's OUT_DIR) changed.
        File.WriteAllText(Path.Combine(native, "libextra.a"), "!<arch>\n\n");
        Ok(env.Cached("rustc", Bin()));

        // Another linker (a wrapper script around cc): its digest is in the key.
        var linker = Path.Combine(env.Root, "my-cc");
        File.WriteAllText(linker, "#!/bin/sh\nexec cc \"$@\"\n");
        File.SetUnixFileMode(linker, (UnixFileMode)0x1ED);
        Ok(env.Cached("rustc", [.. Bin(), "-C", "linker=" + linker]));
        Ok(env.Cached("rustc", [.. Bin(), "-C", "linker=" + linker]));
        File.WriteAllText(linker, "#!/bin/sh\n# v2\nexec cc \"$@\"\n");
        Ok(env.Cached("rustc", [.. Bin(), "-C", "linker=" + linker]));

        Assert.Equal("hi\n", env.RunIn(env.WorkDir, env.PathOf("out/hello-0f"), []).StdoutText);
        var stats = SettledStats(env);
        Assert.Equal(4, Misses(stats));
        Assert.Equal(2, Hits(stats));
        var log = File.ReadAllText(explain);
        Assert.Contains("miss: native library libextra.a changed", log, StringComparison.Ordinal);
        Assert.Contains("miss: linker changed", log, StringComparison.Ordinal);
    }
}
