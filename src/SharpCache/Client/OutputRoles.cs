using SharpCache.Core.Compilers;

namespace SharpCache.Client;

/// <summary>
/// The named outputs of a compile (entry file names) and where each goes for this command line.
/// </summary>
internal static class OutputRoles
{
    public const string Object = "obj";
    public const string DepFile = "d";
    public const string SplitDwarf = "dwo";
    public const string CoverageNotes = "gcno";

    /// <summary>
    /// Whether <paramref name="file"/> is an output of the compile started at <paramref name="startedUtc"/>: a side file
    /// older than the compile (by more than the file system's timestamp slack) is a stale leftover.
    /// </summary>
    public static bool WrittenBy(FileInfo file, DateTime startedUtc) => file.Exists && file.LastWriteTimeUtc >= startedUtc.AddSeconds(-2);

    /// <summary>(role, path relative to the working directory, required) for every output this compile writes.</summary>
    public static List<(string Role, string Path, bool Required)> For(ParsedCompilation compilation)
    {
        var roles = new List<(string, string, bool)>(4) { (Object, compilation.OutputFile, true) };
        if (compilation.DepFile is { } d)
        {
            roles.Add((DepFile, d, true));
        }

        if (compilation.SplitDwarfFile is { } dwo)
        {
            // gcc writes no .dwo when the unit has no debug info to split: optional.
            roles.Add((SplitDwarf, dwo, false));
        }

        if (compilation.CoverageNotesFile is { } gcno)
        {
            roles.Add((CoverageNotes, gcno, true));
        }

        return roles;
    }

    /// <summary>Outputs to <c>/dev/null</c> and other devices are never restored by rename: run such compiles directly.</summary>
    public static bool WritesToDevice(ParsedCompilation compilation)
    {
        foreach (var (_, path, _) in For(compilation))
        {
            if (path.StartsWith("/dev/", StringComparison.Ordinal) || path == "-")
            {
                return true;
            }
        }

        return false;
    }
}
