using System.Globalization;

namespace SharpCache.Dist.Sandbox;

/// <summary>
/// Caps the processes of one job. Preferred: a cgroup-v1 <c>pids</c> group per job (counts every
/// process of the job, also for root, and lets the server kill stragglers). Otherwise
/// <c>prlimit --nproc</c> (RLIMIT_NPROC: per user, and not enforced for root). Chosen once at startup.
/// </summary>
internal sealed class ProcessCountLimit : IDisposable
{
    private const string PidsRoot = "/sys/fs/cgroup/pids";

    private readonly string? _groupRoot;

    private ProcessCountLimit(string? groupRoot) => _groupRoot = groupRoot;

    /// <summary>"cgroup" or "prlimit", for logs and status.</summary>
    public string Mechanism => _groupRoot is null ? "prlimit" : "cgroup";

    public static ProcessCountLimit Detect(string instanceId)
    {
        try
        {
            if (File.Exists(Path.Combine(PidsRoot, "cgroup.procs")))
            {
                RemoveStaleGroups();
                var root = Path.Combine(PidsRoot, $"sharpcache-dist-{instanceId}");
                Directory.CreateDirectory(root);
                return new ProcessCountLimit(root);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not writable (not root, or a read-only cgroupfs in a container): fall back to prlimit.
        }

        return new ProcessCountLimit(null);
    }

    /// <summary>
    /// Prepares the limit for one sandbox process: a fresh group named <paramref name="name"/> (the process joins it
    /// itself, see <see cref="Group.Directory"/>), or the <c>prlimit</c> command prefix.
    /// </summary>
    public Group Open(string name, int maxProcesses)
    {
        var max = maxProcesses.ToString(CultureInfo.InvariantCulture);
        if (_groupRoot is null)
        {
            return new Group(null, ["prlimit", $"--nproc={max}:{max}", "--"]);
        }

        var dir = Path.Combine(_groupRoot, name);
        Directory.CreateDirectory(dir); // also the root again, if a newly started server swept it while idle
        File.WriteAllText(Path.Combine(dir, "pids.max"), max);
        return new Group(dir, []);
    }

    /// <summary>
    /// Groups left by servers that were killed, an hour old or more: rmdir only succeeds on a group without
    /// processes and without child groups, and no job lives an hour, so a running server loses at most an
    /// idle root (recreated with its next job).
    /// </summary>
    private static void RemoveStaleGroups()
    {
        var before = DateTime.UtcNow.AddHours(-1);
        foreach (var root in Directory.EnumerateDirectories(PidsRoot, "sharpcache-dist-*"))
        {
            foreach (var job in Directory.EnumerateDirectories(root))
            {
                if (Directory.GetLastWriteTimeUtc(job) < before)
                {
                    TryRemove(job);
                }
            }

            if (Directory.GetLastWriteTimeUtc(root) < before)
            {
                TryRemove(root);
            }
        }
    }

    /// <summary>Removes the group root at shutdown.</summary>
    public void Dispose()
    {
        if (_groupRoot is not null)
        {
            TryRemove(_groupRoot);
        }
    }

    private static void TryRemove(string dir)
    {
        try
        {
            Directory.Delete(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Busy or already gone; the kernel frees an empty group when removed later.
        }
    }

    /// <summary>One sandbox's limit: a command prefix, or a group to join, and (for a group) a way to kill everything left in it.</summary>
    public sealed class Group(string? dir, IReadOnlyList<string> prefix) : IDisposable
    {
        /// <summary>Prepended to the command (prlimit); empty for a group.</summary>
        public IReadOnlyList<string> Prefix { get; } = prefix;

        /// <summary>The group the process must write its own pid to (<c>cgroup.procs</c>) before it execs bubblewrap; null for prlimit.</summary>
        public string? Directory { get; } = dir;

        /// <summary>SIGKILLs every process still in the group (a timed-out or escaped job).</summary>
        public void KillAll()
        {
            if (Directory is null)
            {
                return;
            }

            try
            {
                foreach (var line in File.ReadAllLines(Path.Combine(Directory, "cgroup.procs")))
                {
                    if (int.TryParse(line, out var pid))
                    {
                        try
                        {
                            using var process = System.Diagnostics.Process.GetProcessById(pid);
                            process.Kill();
                        }
                        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                        {
                            // Already gone.
                        }
                    }
                }
            }
            catch (IOException)
            {
                // Group already removed.
            }
        }

        public void Dispose()
        {
            if (Directory is null)
            {
                return;
            }

            KillAll();
            for (var i = 0; i < 500 && System.IO.Directory.Exists(Directory); i++)
            {
                try
                {
                    System.IO.Directory.Delete(Directory);
                }
                catch (IOException)
                {
                    Thread.Sleep(1); // processes still exiting (the sandbox's init is reaped a moment later)
                }
            }
        }
    }
}
