namespace SharpCache.Dist.Sandbox;

/// <summary>
/// Resolves sandbox paths against a tree on the host without ever leaving it: symlinks are followed
/// inside the tree (absolute targets from its root), at most 40 hops, like the kernel would inside the sandbox.
/// </summary>
internal static class TreePaths
{
    private const int MaxHops = 40;

    /// <summary>Host path of <paramref name="sandboxPath"/> within <paramref name="root"/> with every symlink followed, or null.</summary>
    public static string? Resolve(string root, string sandboxPath)
    {
        var pending = new Stack<string>(sandboxPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var host = Path.Combine(root, string.Join('/', resolved), part);
            var target = new FileInfo(host).LinkTarget;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }

            if (++hops > MaxHops)
            {
                return null;
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var next in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(next);
            }
        }

        return Path.Combine(root, string.Join('/', resolved));
    }

    /// <summary>
    /// Opens a regular file at <paramref name="sandboxPath"/> inside <paramref name="root"/> for
    /// reading when no component of the path is a symlink (outputs are read on the host, so they must
    /// not point anywhere else). Opened non-blocking, so a fifo left by a job cannot hang the server;
    /// anything that is not a seekable file is refused (null).
    /// </summary>
    public static FileStream? OpenRegularFileNoLinks(string root, string sandboxPath) => OpenRegularFileNoLinks(root, sandboxPath, useOpenat2: true);

    /// <summary>As above; without <paramref name="useOpenat2"/> as on a kernel before 5.6 (tests).</summary>
    internal static FileStream? OpenRegularFileNoLinks(string root, string sandboxPath, bool useOpenat2)
    {
        var parts = sandboxPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
        {
            return null;
        }

        // One openat2 call (no symlink, nothing outside the root, no window between a check and the open); a kernel
        // without it gets each component checked (readlink per component, ~0.1 ms on a job's answer path).
        if (useOpenat2 && NativeFile.OpenBeneathNoLinks(root, string.Join('/', parts)) is { } opened)
        {
            return opened < 0 ? null : RegularFile(opened);
        }

        var current = root;
        foreach (var part in sandboxPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part is "." or "..")
            {
                return null;
            }

            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                return null;
            }
        }

        var info = new FileInfo(current);
        if (!info.Exists || (info.Attributes & FileAttributes.Directory) != 0)
        {
            return null;
        }

        var fd = NativeFile.OpenReadNonBlocking(current);
        return fd < 0 ? null : RegularFile(fd);
    }

    /// <summary>A stream over <paramref name="fd"/> (owned) if it is a regular file; null (and closed) otherwise.</summary>
    private static FileStream? RegularFile(int fd)
    {
        var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if ((File.GetAttributes(handle) & FileAttributes.Directory) != 0)
            {
                handle.Dispose();
                return null;
            }

            var stream = new FileStream(handle, FileAccess.Read, 1);
            if (stream.CanSeek)
            {
                return stream;
            }

            stream.Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            handle.Dispose();
            return null;
        }
    }
}
