namespace SharpCache.Dist.Sandbox;

/// <summary>
/// Builds bubblewrap's mount arguments that merge the read-only toolchain tree and the job's
/// writable tree into one root without overlayfs: the root is a tmpfs; a path only the toolchain
/// has is bound read-only, a path only the job has is bound read-write, a directory both have is
/// created and merged one level down, and anything else both have is a conflict. The tmpfs root
/// is remounted read-only at the end, so the only writable places are the job's own directories.
/// </summary>
internal static class SandboxLayout
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "proc", "dev", "tmp" };

    /// <summary>
    /// Appends the layout to <paramref name="args"/>, with <paramref name="extraFile"/> (a host file) bound read-only at a
    /// top-level sandbox path when given; returns a conflict message or null.
    /// </summary>
    public static string? Build(string toolchainRoot, string jobRoot, string jobTmp, List<string> args, (string Source, string Destination)? extraFile = null)
    {
        var jobReserved = Reserved.Where(name => name != "tmp" && Path.Exists(Path.Combine(jobRoot, name))).ToList();
        if (jobReserved.Count > 0)
        {
            return $"job inputs may not contain /{jobReserved[0]}";
        }

        var error = Merge("/", toolchainRoot, jobRoot, args, topLevel: true);
        if (error is not null)
        {
            return error;
        }

        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--bind", jobTmp, "/tmp"]);
        if (extraFile is { } extra)
        {
            args.AddRange(["--ro-bind", extra.Source, extra.Destination]);
        }

        args.Add("--remount-ro");
        args.Add("/");
        return null;
    }

    private static string? Merge(string sandboxDir, string? toolchainDir, string? jobDir, List<string> args, bool topLevel)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        AddNames(toolchainDir, names);
        AddNames(jobDir, names);
        foreach (var name in names)
        {
            if (topLevel && Reserved.Contains(name))
            {
                continue;
            }

            var sandboxPath = sandboxDir == "/" ? "/" + name : $"{sandboxDir}/{name}";
            var fromToolchain = toolchainDir is null ? null : Info(Path.Combine(toolchainDir, name));
            var fromJob = jobDir is null ? null : Info(Path.Combine(jobDir, name));
            if (fromToolchain is not null && fromJob is not null)
            {
                if (fromToolchain is DirectoryInfo { LinkTarget: null } && fromJob is DirectoryInfo { LinkTarget: null })
                {
                    args.AddRange(["--dir", sandboxPath]);
                    var error = Merge(sandboxPath, fromToolchain.FullName, fromJob.FullName, args, topLevel: false);
                    if (error is not null)
                    {
                        return error;
                    }

                    continue;
                }

                return $"job path {sandboxPath} conflicts with the toolchain's";
            }

            var (entry, writable) = fromToolchain is not null ? (fromToolchain, false) : (fromJob!, true);
            if (entry.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, sandboxPath]);
            }
            else
            {
                args.AddRange([writable ? "--bind" : "--ro-bind", entry.FullName, sandboxPath]);
            }
        }

        return null;
    }

    private static void AddNames(string? dir, SortedSet<string> names)
    {
        if (dir is null)
        {
            return;
        }

        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            names.Add(entry.Name);
        }
    }

    private static FileSystemInfo? Info(string path)
    {
        var file = new FileInfo(path);
        if (file.Exists || file.LinkTarget is not null)
        {
            return file;
        }

        var dir = new DirectoryInfo(path);
        return dir.Exists ? dir : null;
    }
}
