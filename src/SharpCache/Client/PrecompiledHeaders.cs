namespace SharpCache.Client;

/// <summary>
/// Detects gcc's implicit precompiled headers: <c>-include X</c> uses <c>X.gch</c> (a file, or a
/// directory of variants) when it exists. Such compiles are run uncached: a changed .gch
/// changes the object without changing any key input.
/// </summary>
internal static class PrecompiledHeaders
{
    /// <summary>The precompiled header a command line would use, or null.</summary>
    public static string? UsedBy(IReadOnlyList<string> arguments, string workingDirectory)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            string? header = null;
            var argument = arguments[i];
            if (argument == "-include" && i + 1 < arguments.Count)
            {
                header = arguments[++i];
            }
            else if (argument.StartsWith("-include", StringComparison.Ordinal) && argument.Length > "-include".Length && !argument.StartsWith("-include-pch", StringComparison.Ordinal))
            {
                header = argument["-include".Length..];
            }

            if (header is null)
            {
                continue;
            }

            foreach (var suffix in (string[])[".gch", ".pch"])
            {
                var candidate = Path.GetFullPath(header + suffix, workingDirectory);
                if (File.Exists(candidate) || Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Finds an included file with a precompiled sibling (<c>x.h.gch</c>, a file or a directory of variants): one <c>access</c>
    /// call per include (a C++ unit includes hundreds: two <c>stat</c> calls each and the path work around them were 0.7 ms of
    /// a distributed compile's path). Each <see cref="CheckNew"/> checks the files added to the include list since the last:
    /// called while the preprocessor still writes (each piece of its text read), the checks are off the path after its exit,
    /// where a C++ unit's ~240 of them took 0.5-1 ms.
    /// </summary>
    public sealed class SiblingScan(string workingDirectory)
    {
        private int _checked;

        /// <summary>The first include found with a precompiled sibling, if any.</summary>
        public string? Found { get; private set; }

        public void CheckNew(IReadOnlyList<string> includeFiles)
        {
            while (Found is null && _checked < includeFiles.Count)
            {
                var include = includeFiles[_checked++];
                var candidate = include.StartsWith('/') ? include + ".gch" : Path.GetFullPath(include + ".gch", workingDirectory);
                if (NativeMethods.Access(candidate, 0) == 0)
                {
                    Found = candidate;
                }
            }
        }
    }
}
