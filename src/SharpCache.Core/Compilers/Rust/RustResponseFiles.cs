namespace SharpCache.Core.Compilers.Rust;

/// <summary>rustc's <c>@path</c>: the file holds one argument per line (no quoting).</summary>
internal static class RustResponseFiles
{
    public static List<string>? Expand(IReadOnlyList<string> arguments, string workingDirectory, out string? problem)
    {
        problem = null;
        var result = new List<string>(arguments.Count + 8);
        foreach (var argument in arguments)
        {
            if (argument.Length < 2 || argument[0] != '@')
            {
                result.Add(argument);
                continue;
            }

            if (argument.StartsWith("@shell:", StringComparison.Ordinal))
            {
                problem = "@shell: argument file";
                return null;
            }

            try
            {
                var text = File.ReadAllText(Path.GetFullPath(argument[1..], workingDirectory));
                var lines = text.Split('\n');
                var count = lines.Length;
                if (count > 0 && lines[^1].Length == 0)
                {
                    count--;
                }

                for (var i = 0; i < count; i++)
                {
                    result.Add(lines[i].TrimEnd('\r'));
                }
            }
            catch (IOException)
            {
                problem = "unreadable @file";
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                problem = "unreadable @file";
                return null;
            }
        }

        return result;
    }
}
