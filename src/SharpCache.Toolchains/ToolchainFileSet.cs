namespace SharpCache.Toolchains;

/// <summary>
/// The files of a toolchain, at the same absolute paths they have on this machine (so compilers
/// find their helpers and libraries where they were built to look). Adding a path resolves it
/// component by component like the kernel does: every symlink met on the way is kept as a symlink
/// entry (its target made relative, so it stays inside the archive), and the file it ends at is
/// kept as a regular file. Entry paths are relative to the archive root and never pass through a
/// symlink, so a safe unpacker accepts them. ELF files bring the libraries the dynamic loader maps
/// for them, and the loader itself.
/// </summary>
internal sealed class ToolchainFileSet
{
    private const int MaxSymlinkHops = 40;
    private const string DefaultLoader = "/lib64/ld-linux-x86-64.so.2";

    private readonly SortedDictionary<string, ToolchainEntry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _elfsListed = new(StringComparer.Ordinal);
    private string? _loader;

    /// <summary>Members by relative path (ordinal order); directories are implied by their children.</summary>
    public IReadOnlyDictionary<string, ToolchainEntry> Entries => _entries;

    /// <summary>Adds <paramref name="path"/> (and every symlink on the way to it); returns the file's canonical absolute path.</summary>
    public string AddFile(string path)
    {
        var canonical = Resolve(path);
        if (!File.Exists(canonical))
        {
            throw new ToolchainPackagingException(Directory.Exists(canonical) ? $"'{path}' is a directory, not a file" : $"'{path}' does not exist");
        }

        if (!FileIdentity.IsRegularFile(canonical))
        {
            throw new ToolchainPackagingException($"'{path}' is not a regular file");
        }

        _entries[canonical[1..]] = new ToolchainEntry(canonical, null);
        return canonical;
    }

    /// <summary>Adds an executable or shared library and every library the dynamic loader maps for it.</summary>
    public string AddElf(string path)
    {
        var canonical = AddFile(path);
        if (!_elfsListed.Add(canonical) || !ElfDependencies.IsElf(canonical))
        {
            return canonical;
        }

        var interpreter = ElfDependencies.Interpreter(canonical);
        if (interpreter is not null)
        {
            _loader ??= interpreter;
            AddFile(interpreter);
        }

        var loader = interpreter ?? _loader ?? DefaultLoader;
        if (!File.Exists(loader))
        {
            throw new ToolchainPackagingException($"no dynamic loader to list the libraries of '{canonical}' (looked for '{loader}')");
        }

        foreach (var library in ElfDependencies.Libraries(loader, canonical))
        {
            AddFile(library);
        }

        return canonical;
    }

    /// <summary>Adds every regular file (and the symlinks leading to them) under <paramref name="directory"/>; no loader run, devices and fifos skipped.</summary>
    public void AddTree(string directory)
    {
        var canonical = Resolve(directory);
        if (!Directory.Exists(canonical))
        {
            throw new ToolchainPackagingException($"'{directory}' is not a directory");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var file in Directory.EnumerateFiles(canonical, "*", options))
        {
            if (FileIdentity.IsRegularFile(file))
            {
                AddFile(file);
            }
        }
    }

    /// <summary>
    /// The physical path <paramref name="path"/> names: symlinks followed one component at a time
    /// (<c>..</c> after a symlink goes up from its target, as in the kernel), each one recorded.
    /// </summary>
    public string Resolve(string path)
    {
        if (!Path.IsPathRooted(path))
        {
            path = Path.Combine(Directory.GetCurrentDirectory(), path);
        }

        var pending = new Stack<string>();
        PushComponents(pending, path);
        var current = "";
        var hops = 0;
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name is "" or ".")
            {
                continue;
            }

            if (name == "..")
            {
                current = current.Length == 0 ? "" : current[..current.LastIndexOf('/')];
                continue;
            }

            var next = current + "/" + name;
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxSymlinkHops)
            {
                throw new ToolchainPackagingException($"too many levels of symbolic links resolving '{path}'");
            }

            var parent = current.Length == 0 ? "/" : current;
            var relative = Path.IsPathRooted(target) ? Path.GetRelativePath(parent, target) : target;
            _entries[next[1..]] = new ToolchainEntry(null, relative);
            if (Path.IsPathRooted(target))
            {
                current = "";
            }

            PushComponents(pending, target);
        }

        return current.Length == 0 ? "/" : current;
    }

    private static void PushComponents(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}
