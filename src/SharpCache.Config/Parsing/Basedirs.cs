namespace SharpCache.Config.Parsing;

/// <summary>Checks and normalises base directories: absolute only (else an error), full path, no trailing separator, no duplicates.</summary>
internal static class Basedirs
{
    public static List<string> Normalize(IReadOnlyList<string> dirs, ErrorSink errors, string key)
    {
        var result = new List<string>(dirs.Count);
        foreach (var dir in dirs)
        {
            if (!Path.IsPathRooted(dir) || dir.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(key, $"'{dir}' is not an absolute path");
                continue;
            }

            var normalized = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
            if (normalized.Length > 1 && !result.Contains(normalized))
            {
                result.Add(normalized);
            }
        }

        return result;
    }
}
