using System.Reflection;

namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>
/// Finds the published sharpcache binary: <c>SHARPCACHE_BIN</c>, else <c>artifacts/bin/sharpcache</c>
/// under the folder holding <c>SharpCache.slnx</c>. A missing binary fails the test (never skips).
/// </summary>
public static class SharpCacheBinary
{
    private static readonly Lazy<string> LazyPath = new(Locate);

    public static string Path => LazyPath.Value;

    /// <summary>The full daemon (remote tiers) the client starts: <c>sharpcache-daemon</c> beside the binary.</summary>
    public static string DaemonPath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "sharpcache-daemon");

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SHARPCACHE_BIN");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(fromEnv)
                ? System.IO.Path.GetFullPath(fromEnv)
                : throw new FileNotFoundException($"SHARPCACHE_BIN points at '{fromEnv}', which does not exist. Run scripts/build.sh first.");
        }

        var root = FindRepoRoot()
            ?? throw new FileNotFoundException("Cannot find the repository root (the folder holding SharpCache.slnx) to locate artifacts/bin/sharpcache; set SHARPCACHE_BIN.");
        var candidate = System.IO.Path.Combine(root, "artifacts", "bin", "sharpcache");
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException($"The sharpcache binary was not found at '{candidate}'. Run scripts/build.sh (or set SHARPCACHE_BIN) before the integration tests.");
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SharpCache.slnx")))
            {
                return dir.FullName;
            }
        }

        // Built with --artifacts-path outside the tree: the build recorded where the repository is.
        var recorded = typeof(SharpCacheBinary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SharpCacheRepoRoot")?.Value;
        return recorded is not null && File.Exists(System.IO.Path.Combine(recorded, "SharpCache.slnx")) ? recorded : null;
    }
}
