using System.Diagnostics;
using System.Text;

namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>
/// One test's private world: a temp directory holding the work tree, the cache directory and the
/// daemon socket, and the environment every child gets. Disposing stops this test's daemon (and
/// kills any sharpcache process left with this test's socket) and deletes the directory.
/// </summary>
public sealed class TestEnvironment : IDisposable
{
    private static readonly string[] InheritedNoise = ["RUSTC_WRAPPER", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS"];

    public TestEnvironment()
    {
        Root = Path.Combine(Path.GetTempPath(), "sc-it-" + Guid.NewGuid().ToString("N")[..12]);
        WorkDir = Path.Combine(Root, "work");
        CacheDir = Path.Combine(Root, "cache");
        SocketPath = Path.Combine(Root, "daemon.sock");
        ErrorLog = Path.Combine(Root, "daemon.log");
        Directory.CreateDirectory(WorkDir);

        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var key = (string)e.Key;
            if (!key.StartsWith("SCCACHE_", StringComparison.Ordinal) && !key.StartsWith("SHARPCACHE", StringComparison.Ordinal)
                && !InheritedNoise.Contains(key))
            {
                Env[key] = (string?)e.Value;
            }
        }

        Env["LC_ALL"] = "C";
        Env["LANG"] = "C";
        Env["XDG_CONFIG_HOME"] = Path.Combine(Root, "xdg-config");
        Env["XDG_CACHE_HOME"] = Path.Combine(Root, "xdg-cache");
        Env["SCCACHE_DIR"] = CacheDir;
        Env["SCCACHE_SERVER_UDS"] = SocketPath;
        Env["SCCACHE_IDLE_TIMEOUT"] = "120";
        Env["SCCACHE_ERROR_LOG"] = ErrorLog;
    }

    public string Root { get; }

    public string WorkDir { get; }

    public string CacheDir { get; }

    public string SocketPath { get; }

    public string ErrorLog { get; }

    /// <summary>The exact environment of every child; tests may change it before running.</summary>
    public Dictionary<string, string?> Env { get; } = new(StringComparer.Ordinal);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public static string Binary => SharpCacheBinary.Path;

    /// <summary>Runs <c>sharpcache args...</c> in the work directory.</summary>
    public ProcessResult SharpCache(params string[] args) => RunIn(WorkDir, Binary, args);

    /// <summary>Runs <c>sharpcache compiler args...</c> in the work directory.</summary>
    public ProcessResult Cached(string compiler, params string[] args) => RunIn(WorkDir, Binary, [compiler, .. args]);

    /// <summary>Runs the real compiler without the cache, in the work directory.</summary>
    public ProcessResult Direct(string compiler, params string[] args) => RunIn(WorkDir, compiler, args);

    public ProcessResult RunIn(string cwd, string fileName, IEnumerable<string> args, byte[]? stdin = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run(fileName, args, cwd, Env, stdin, timeout ?? Timeout);

    /// <summary>Starts a child without waiting (for concurrent builds); output is discarded unless redirected by the caller.</summary>
    public Process Start(string cwd, string fileName, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = cwd,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Clear();
        foreach (var (k, v) in Env)
        {
            if (v is not null)
            {
                psi.Environment[k] = v;
            }
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("could not start " + fileName);
    }

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(WorkDir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string PathOf(string relativePath) => Path.Combine(WorkDir, relativePath);

    public byte[] Read(string relativePath)
    {
        var path = PathOf(relativePath);
        Assert.True(File.Exists(path), $"expected output file {relativePath} does not exist");
        return File.ReadAllBytes(path);
    }

    public void Delete(params string[] relativePaths)
    {
        foreach (var p in relativePaths)
        {
            File.Delete(PathOf(p));
        }
    }

    /// <summary>One <c>-s --stats-format json</c> call; fails the test if it does not work.</summary>
    public StatsSnapshot Stats()
    {
        var r = SharpCache("--show-stats", "--stats-format", "json");
        Assert.True(r.ExitCode == 0, "sharpcache --show-stats --stats-format json failed: " + r.Describe() + DaemonLogTail());
        try
        {
            return new StatsSnapshot(r.StdoutText);
        }
        catch (System.Text.Json.JsonException e)
        {
            Assert.Fail($"--show-stats --stats-format json printed invalid JSON ({e.Message}):\n{r.StdoutText}");
            throw;
        }
    }

    /// <summary>
    /// Stats reach the daemon asynchronously: polls until <c>compile_requests</c> reaches
    /// <paramref name="compileRequests"/>, then waits a little longer so that no late record is missed.
    /// </summary>
    public StatsSnapshot WaitForStats(long compileRequests, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        StatsSnapshot last;
        while (true)
        {
            last = Stats();
            if (last.CompileRequests >= compileRequests)
            {
                return last;
            }

            if (deadline.Elapsed > limit)
            {
                Assert.Fail($"stats never reached compile_requests >= {compileRequests} within {limit.TotalSeconds} s; last:\n{last.Json}{DaemonLogTail()}");
            }

            Thread.Sleep(100);
        }
    }

    public string DaemonLogTail()
    {
        try
        {
            if (!File.Exists(ErrorLog))
            {
                return "";
            }

            var text = File.ReadAllText(ErrorLog);
            return "\n--- SCCACHE_ERROR_LOG tail ---\n" + (text.Length > 3000 ? text[^3000..] : text);
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        try
        {
            StopDaemons();
        }
        finally
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A straggler still writing; the temp dir is cleaned by the OS eventually.
            }
        }
    }

    private void StopDaemons()
    {
        try
        {
            _ = Binary;
        }
        catch (FileNotFoundException)
        {
            return;
        }

        // A test may have pointed SCCACHE_SERVER_UDS elsewhere: clean up under both names.
        var sockets = new[] { SocketPath, Env.GetValueOrDefault("SCCACHE_SERVER_UDS") ?? SocketPath }.Distinct().ToArray();
        try
        {
            if (sockets.Any(s => DaemonProcesses.Daemons(s).Count > 0))
            {
                RunIn(Root, Binary, ["--stop-server"], timeout: TimeSpan.FromSeconds(15));
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            // Fall through to the kill below.
        }

        for (var i = 0; i < 20 && sockets.Any(s => DaemonProcesses.OwnedBy(s).Count > 0); i++)
        {
            Thread.Sleep(100);
        }

        foreach (var s in sockets)
        {
            DaemonProcesses.KillAll(DaemonProcesses.OwnedBy(s));
        }
    }

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
