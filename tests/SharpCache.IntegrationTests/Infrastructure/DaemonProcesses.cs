using System.Globalization;
using System.Text;

namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>
/// Finds the sharpcache processes that belong to one test (their environment carries the test's
/// own <c>SCCACHE_SERVER_UDS</c>) by reading /proc. Never touches other tests' or users' processes.
/// </summary>
public static class DaemonProcesses
{
    /// <summary>Every live sharpcache process (client, daemon or sharpcache-daemon) started with this socket path.</summary>
    public static IReadOnlyList<int> OwnedBy(string socketPath)
    {
        var binary = Canonical(SharpCacheBinary.Path);
        var daemon = File.Exists(SharpCacheBinary.DaemonPath) ? Canonical(SharpCacheBinary.DaemonPath) : binary;
        var marker = "SCCACHE_SERVER_UDS=" + socketPath;
        var result = new List<int>();
        foreach (var pid in AllPids())
        {
            var exe = ExeOf(pid);
            if ((exe == binary || exe == daemon) && EnvironmentOf(pid).Contains(marker))
            {
                result.Add(pid);
            }
        }

        return result;
    }

    /// <summary>
    /// The daemon(s) for this socket: processes holding the listening socket bound at the path, plus
    /// any of ours started the way the client auto-starts one (no arguments).
    /// </summary>
    public static IReadOnlyList<int> Daemons(string socketPath)
    {
        var result = new HashSet<int>();
        var inodes = ListeningInodes(socketPath);
        var owned = OwnedBy(socketPath);
        foreach (var pid in owned)
        {
            if (ArgumentCount(pid) == 1 || HoldsSocket(pid, inodes))
            {
                result.Add(pid);
            }
        }

        return [.. result];
    }

    public static void KillAll(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                p.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }
    }

    private static IEnumerable<int> AllPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    private static string? ExeOf(int pid)
    {
        try
        {
            var target = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            return target is null ? null : Canonical(target.Replace(" (deleted)", "", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static HashSet<string> EnvironmentOf(int pid) => ReadNulSeparated($"/proc/{pid}/environ");

    private static int ArgumentCount(int pid) => ReadNulSeparatedList($"/proc/{pid}/cmdline").Count;

    private static HashSet<string> ReadNulSeparated(string path) => [.. ReadNulSeparatedList(path)];

    private static List<string> ReadNulSeparatedList(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return [.. Encoding.UTF8.GetString(bytes).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Inodes of listening Unix sockets bound at <paramref name="socketPath"/> (/proc/net/unix).</summary>
    private static HashSet<string> ListeningInodes(string socketPath)
    {
        var result = new HashSet<string>();
        foreach (var line in File.ReadLines("/proc/net/unix").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 8 && f[7] == socketPath)
            {
                result.Add(f[6]);
            }
        }

        return result;
    }

    private static bool HoldsSocket(int pid, HashSet<string> inodes)
    {
        if (inodes.Count == 0)
        {
            return false;
        }

        try
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && inodes.Contains(target[8..^1]))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return false;
    }

    private static string Canonical(string path)
    {
        var info = new FileInfo(path);
        var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
        return resolved?.FullName ?? info.FullName;
    }
}
