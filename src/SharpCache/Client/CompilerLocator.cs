namespace SharpCache.Client;

/// <summary>
/// Finds the real compiler on PATH, skipping anything that resolves to this executable (a
/// masquerade symlink named gcc must never find itself) so that the wrapper never recurses.
/// </summary>
internal static class CompilerLocator
{
    public static string? Find(string nameOrPath, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        var self = SelfPath();
        if (nameOrPath.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(nameOrPath, workingDirectory);
            return IsExecutable(full) && !IsSelf(full, self) ? full : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(Path.GetFullPath(dir, workingDirectory), nameOrPath);
            if (IsExecutable(candidate) && !IsSelf(candidate, self))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? SelfPath()
    {
        var process = Environment.ProcessPath;
        return process is null ? null : Resolve(process);
    }

    private static bool IsSelf(string candidate, string? self)
    {
        if (self is null)
        {
            return false;
        }

        return string.Equals(Resolve(candidate), self, StringComparison.Ordinal);
    }

    private static string Resolve(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return path;
        }
        catch (UnauthorizedAccessException)
        {
            return path;
        }
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            var mode = File.GetUnixFileMode(path);
            return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
