namespace SharpCache.TestServers;

/// <summary>
/// Finds server binaries (redis-server, memcached, nginx, openssl) on PATH and in the sbin
/// directories a non-login shell may leave out. A missing tool is a
/// <see cref="ServerUnavailableException"/> naming the tool and how to install it, so a test run
/// on a machine without the servers fails with one clear line instead of a timeout.
/// </summary>
public static class ToolLocator
{
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/local/bin", "/usr/bin"];

    /// <summary>The full path of <paramref name="tool"/>, or null when it is not installed.</summary>
    public static string? Find(string tool)
    {
        ArgumentException.ThrowIfNullOrEmpty(tool);
        if (Path.IsPathRooted(tool))
        {
            return File.Exists(tool) ? tool : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="tool"/> cannot be used, or null when it is installed.</summary>
    public static string? MissingReason(string tool) =>
        Find(tool) is null
            ? $"'{tool}' is not installed (not on PATH nor in /usr/sbin); run scripts/deps/remote-servers.sh (or scripts/test.sh, which runs every scripts/deps/*.sh)"
            : null;

    /// <summary>The full path of <paramref name="tool"/>; throws <see cref="ServerUnavailableException"/> with an install hint when missing.</summary>
    public static string Require(string tool) =>
        Find(tool) ?? throw new ServerUnavailableException(MissingReason(tool)!);
}
