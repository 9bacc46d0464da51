namespace SharpCache.Core.Direct;

/// <summary>
/// The include search list that <c>cc -E -v</c> prints on stderr (gcc and clang use the same
/// format): the <c>#include "..." search starts here:</c> block (quote-only directories), then the
/// <c>#include &lt;...&gt; search starts here:</c> block, up to <c>End of search list.</c>, one
/// directory per line, each indented by one space.
/// </summary>
internal static class IncludeSearchPath
{
    private const string QuoteHeader = "#include \"...\" search starts here:";
    private const string AngleHeader = "#include <...> search starts here:";
    private const string End = "End of search list.";
    private const string FrameworkSuffix = " (framework directory)";

    /// <summary>Directories in search order (quote-only ones first); empty when no list was printed.</summary>
    public static IReadOnlyList<string> Parse(string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var directories = new List<string>();
        var inList = false;
        foreach (var rawLine in stderr.AsSpan().EnumerateLines())
        {
            var line = rawLine.TrimEnd('\r');
            if (line.SequenceEqual(QuoteHeader) || line.SequenceEqual(AngleHeader))
            {
                inList = true;
                continue;
            }

            if (!inList)
            {
                continue;
            }

            if (line.SequenceEqual(End))
            {
                break;
            }

            if (line.Length < 2 || line[0] != ' ')
            {
                // Not a directory line: the list is over (or malformed).
                inList = false;
                continue;
            }

            var directory = line[1..];
            if (directory.EndsWith(FrameworkSuffix))
            {
                directory = directory[..^FrameworkSuffix.Length];
            }

            directories.Add(directory.ToString());
        }

        return directories;
    }
}
