using System.Reflection;

namespace SharpCache.TestServers;

/// <summary>
/// Finds an npm-installed server (s3rver, azurite) that <c>scripts/deps/cloud-servers.sh</c> put in the
/// checkout's git-ignored <c>.tools/npm</c>: an environment override first, then
/// <c>.tools/npm/node_modules/.bin/NAME</c> under the repository root (the folder holding
/// <c>SharpCache.slnx</c>, found by walking up from the test binaries, the working directory, or the
/// <c>SharpCacheRepoRoot</c> assembly metadata a test project may stamp).
/// </summary>
public static class NpmTool
{
    private const string SolutionFile = "SharpCache.slnx";

    /// <summary>The full path of <paramref name="binary"/>; throws <see cref="ServerUnavailableException"/> with the install hint when missing.</summary>
    public static string Require(string binary, string environmentOverride)
    {
        ArgumentException.ThrowIfNullOrEmpty(binary);
        var overridden = Environment.GetEnvironmentVariable(environmentOverride);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return File.Exists(overridden)
                ? overridden
                : throw new ServerUnavailableException($"{environmentOverride}={overridden} does not exist");
        }

        foreach (var root in RepositoryRoots())
        {
            var candidate = Path.Combine(root, ".tools", "npm", "node_modules", ".bin", binary);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new ServerUnavailableException(
            $"'{binary}' is not installed: run scripts/deps/cloud-servers.sh (or scripts/test.sh), or set {environmentOverride}");
    }

    /// <summary>Repository roots found above the test assembly, the working directory and a stamped <c>SharpCacheRepoRoot</c>.</summary>
    internal static IEnumerable<string> RepositoryRoots()
    {
        var starts = new List<string> { AppContext.BaseDirectory, Environment.CurrentDirectory };
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            foreach (var metadata in assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
            {
                if (metadata.Key == "SharpCacheRepoRoot" && !string.IsNullOrEmpty(metadata.Value))
                {
                    starts.Add(metadata.Value);
                }
            }
        }

        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    yield return dir.FullName;
                    break;
                }
            }
        }
    }
}
