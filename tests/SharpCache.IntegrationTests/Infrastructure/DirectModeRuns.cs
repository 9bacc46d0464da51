namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>
/// Helpers for direct-mode tests: cached runs that report SharpCache's explain verdict (through
/// <c>SHARPCACHE_EXPLAIN=&lt;file&gt;</c>, so stdout/stderr stay comparable with the plain
/// compiler), file ageing past the "too new" window, and exact-timestamp edits.
/// </summary>
public static class DirectModeRuns
{
    public const string DirectHit = "hit (direct mode)";
    public const string PreprocessorHit = "hit (preprocessor mode)";

    /// <summary>Runs <c>sharpcache compiler args</c> in <paramref name="cwd"/> (default: the work dir) and returns the explain lines it wrote.</summary>
    public static ExplainedRun CachedExplained(this TestEnvironment env, string compiler, string[] args, string? cwd = null)
    {
        var log = Path.Combine(env.Root, "explain-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        var previous = env.Env.GetValueOrDefault("SHARPCACHE_EXPLAIN");
        env.Env["SHARPCACHE_EXPLAIN"] = log;
        try
        {
            var result = env.RunIn(cwd ?? env.WorkDir, TestEnvironment.Binary, [compiler, .. args]);
            var text = File.Exists(log) ? File.ReadAllText(log) : "";
            return new ExplainedRun(result, text);
        }
        finally
        {
            env.Env["SHARPCACHE_EXPLAIN"] = previous;
        }
    }

    /// <summary>
    /// Files changed within ~20 ms of a compile's start are "too new" for a manifest entry: wait
    /// until everything written so far is older than that.
    /// </summary>
    public static void Settle() => Thread.Sleep(60);

    /// <summary>Rewrites a file and puts its old mtime back (nanosecond-exact, like <c>touch -r</c>).</summary>
    public static void RewriteKeepingMtime(TestEnvironment env, string path, string content)
    {
        var reference = path + ".mtime-ref";
        RunTool(env, "cp", ["-p", path, reference]);
        File.WriteAllText(path, content);
        RunTool(env, "touch", ["-r", reference, path]);
        File.Delete(reference);
    }

    public static void RunTool(TestEnvironment env, string tool, string[] args)
    {
        var r = env.RunIn(env.WorkDir, tool, args);
        Assert.True(r.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed: {r.Describe()}");
    }

    /// <summary>Writes an executable <c>/bin/sh</c> script.</summary>
    public static string WriteScript(TestEnvironment env, string relativePath, string body)
    {
        var path = env.Write(relativePath, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }


    /// <summary>
    /// Compiles without the cache with exactly these arguments in <paramref name="cwd"/>, returns
    /// the bytes of <paramref name="outputs"/> (paths relative to cwd or absolute) and deletes them.
    /// </summary>
    public static byte[][] Uncached(TestEnvironment env, string compiler, string[] args, string[] outputs, string? cwd = null)
    {
        var dir = cwd ?? env.WorkDir;
        var r = env.RunIn(dir, compiler, args);
        Assert.True(r.ExitCode == 0, $"uncached {compiler} failed (test bug): {r.Describe()}");
        var result = new byte[outputs.Length][];
        for (var i = 0; i < outputs.Length; i++)
        {
            var path = Path.Combine(dir, outputs[i]);
            result[i] = File.ReadAllBytes(path);
            File.Delete(path);
        }

        return result;
    }

    /// <summary>Asserts that each output (relative to cwd or absolute) has exactly the expected bytes.</summary>
    public static void AssertOutputs(TestEnvironment env, string[] outputs, byte[][] expected, string what, string? cwd = null)
    {
        var dir = cwd ?? env.WorkDir;
        for (var i = 0; i < outputs.Length; i++)
        {
            var path = Path.Combine(dir, outputs[i]);
            Assert.True(File.Exists(path), $"{what}: {outputs[i]} was not written");
            var actual = File.ReadAllBytes(path);
            Assert.True(expected[i].AsSpan().SequenceEqual(actual),
                $"{what}: {outputs[i]} differs from the uncached compile's ({expected[i].Length} vs {actual.Length} bytes)"
                + (path.EndsWith(".d", StringComparison.Ordinal) ? $"\nexpected:\n{TestEnvironment.Text(expected[i])}\nactual:\n{TestEnvironment.Text(actual)}" : ""));
        }
    }
}
