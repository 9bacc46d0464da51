namespace SharpCache.Core.Direct;

/// <summary>
/// Paths where a header created later would shadow one the compile used. For an include file
/// found as <c>Di/rel</c>, every <c>Dj/rel</c> with <c>Dj</c> searched before <c>Di</c> is a
/// candidate. The source file's directory counts as the first directory (quote includes), and
/// since the include form (quote or angle) is unknown, quote-only directories always count as
/// earlier: extra candidates can only cost a miss, a missing one could cost a wrong hit.
/// </summary>
internal static class NegativeProbes
{
    /// <summary>
    /// Candidate probe paths, deduplicated, built as <c>Dj + "/" + rel</c> from the directories as
    /// printed (relative ones stay relative to <paramref name="workingDirectory"/>).
    /// Whether each one exists is for the caller to check.
    /// </summary>
    public static List<string> Candidates(IReadOnlyList<string> includeFiles, IReadOnlyList<string> searchDirectories, string sourceFile, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(includeFiles);
        ArgumentNullException.ThrowIfNull(searchDirectories);
        var directories = new string[searchDirectories.Count + 1];
        directories[0] = RawDirectoryOf(sourceFile);
        for (var i = 0; i < searchDirectories.Count; i++)
        {
            directories[i + 1] = searchDirectories[i];
        }

        var fullDirectories = new string[directories.Length];
        for (var i = 0; i < directories.Length; i++)
        {
            fullDirectories[i] = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directories[i].Length == 0 ? "." : directories[i], workingDirectory));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var probes = new List<string>();
        foreach (var file in includeFiles)
        {
            var fullFile = Path.GetFullPath(file, workingDirectory);
            for (var i = 1; i < directories.Length; i++)
            {
                var rel = RelativeTo(file, directories[i]) ?? RelativeTo(fullFile, fullDirectories[i]);
                if (rel is null)
                {
                    continue;
                }

                for (var j = 0; j < i; j++)
                {
                    var probe = Join(directories[j], rel);
                    if (seen.Add(probe))
                    {
                        probes.Add(probe);
                    }
                }
            }
        }

        return probes;
    }

    /// <summary>The source file's directory as the compiler forms it: "" for a bare file name.</summary>
    private static string RawDirectoryOf(string sourceFile)
    {
        var slash = sourceFile.LastIndexOf('/');
        return slash < 0 ? "" : slash == 0 ? "/" : sourceFile[..slash];
    }

    /// <summary>The part of <paramref name="file"/> below <paramref name="directory"/>, or null.</summary>
    private static string? RelativeTo(string file, string directory)
    {
        if (directory.Length == 0)
        {
            return null;
        }

        var prefixLength = directory.EndsWith('/') ? directory.Length : directory.Length + 1;
        if (file.Length <= prefixLength
            || !file.StartsWith(directory, StringComparison.Ordinal)
            || file[prefixLength - 1] != '/')
        {
            return null;
        }

        return file[prefixLength..];
    }

    private static string Join(string directory, string rel) =>
        directory.Length == 0 ? rel : directory.EndsWith('/') ? directory + rel : directory + "/" + rel;
}
