using System.Diagnostics;
using System.Runtime.CompilerServices;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Rust;

/// <summary>
/// A copy of <c>Fixtures/ws</c> (a 2-member cargo workspace on Debian's crate sources: regex,
/// serde + derive, serde_json, clap + derive, and a path dependency), built offline with
/// <c>RUSTC_WRAPPER</c> pointing at sharpcache, <c>CARGO_INCREMENTAL=0</c> and <c>-j2</c>.
/// </summary>
internal sealed class RustWorkspace
{
    public static readonly TimeSpan CargoTimeout = TimeSpan.FromMinutes(4);

    private RustWorkspace(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>Copies the fixture to <paramref name="destination"/> and points <paramref name="env"/> at sharpcache as cargo's wrapper.</summary>
    public static RustWorkspace Create(TestEnvironment env, string destination)
    {
        CopyDirectory(FixtureDirectory(), destination);
        env.Env["RUSTC_WRAPPER"] = TestEnvironment.Binary;
        env.Env["CARGO_INCREMENTAL"] = "0";
        env.Env["CARGO_BUILD_JOBS"] = "2";
        env.Env["CARGO_TERM_COLOR"] = "never";
        env.Env["CARGO_TERM_PROGRESS_WHEN"] = "never";
        env.Env.Remove("RUSTFLAGS");
        env.Env.Remove("CARGO_TARGET_DIR");
        return new RustWorkspace(destination);
    }

    /// <summary><c>cargo args...</c> under <c>nice</c> (benchmarks may share the machine).</summary>
    public ProcessResult Cargo(TestEnvironment env, params string[] args)
    {
        var result = env.RunIn(Root, "nice", ["-n", "19", "cargo", .. args], timeout: CargoTimeout);
        return result;
    }

    public ProcessResult Build(TestEnvironment env, params string[] extra)
    {
        var result = Cargo(env, ["build", "--offline", .. extra]);
        Assert.True(result.ExitCode == 0, "cargo build failed: " + result.Describe() + env.DaemonLogTail());
        return result;
    }

    /// <summary>Runs the built binary and returns its stdout.</summary>
    public string RunApp(TestEnvironment env)
    {
        var result = env.RunIn(Root, Path.Combine(Root, "target", "debug", "app"), []);
        Assert.True(result.ExitCode == 0, "app failed: " + result.Describe());
        return result.StdoutText;
    }

    public void Edit(string relativePath, string from, string to)
    {
        var path = Path.Combine(Root, relativePath);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));

        // cargo compares mtimes: make the edit visibly newer than the last build's outputs.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(1));
    }

    /// <summary>Stats after the daemon has taken in every record: polls until two reads agree.</summary>
    public static StatsSnapshot SettledStats(TestEnvironment env)
    {
        var watch = Stopwatch.StartNew();
        var last = env.Stats();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(300);
            var next = env.Stats();
            if (next.CompileRequests == last.CompileRequests)
            {
                return next;
            }

            last = next;
        }

        return last;
    }

    public static long Hits(StatsSnapshot stats) => stats.LanguageCount("cache_hits", "Rust");

    public static long Misses(StatsSnapshot stats) => stats.LanguageCount("cache_misses", "Rust");

    private static string FixtureDirectory([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", "ws");

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("target" or "bin" or "obj"))
            {
                CopyDirectory(directory, Path.Combine(destination, name));
            }
        }
    }
}
