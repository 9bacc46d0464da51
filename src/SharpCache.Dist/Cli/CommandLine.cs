namespace SharpCache.Dist.Cli;

/// <summary>Parses <c>--name value</c> / <c>--name=value</c> options; every option of sharpcache-dist takes a value.</summary>
internal static class CommandLine
{
    public static Dictionary<string, string>? ParseOptions(ReadOnlySpan<string> args, out string? error)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }

            string name, value;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                (name, value) = (arg[..eq], arg[(eq + 1)..]);
            }
            else if (i + 1 < args.Length)
            {
                (name, value) = (arg, args[++i]);
            }
            else
            {
                error = $"option {arg} needs a value";
                return null;
            }

            if (!options.TryAdd(name, value))
            {
                error = $"option {name} given twice";
                return null;
            }
        }

        error = null;
        return options;
    }
}
