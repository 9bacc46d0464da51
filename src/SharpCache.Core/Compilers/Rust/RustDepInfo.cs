using SharpCache.Core.Compilers.Depfiles;

namespace SharpCache.Core.Compilers.Rust;

/// <summary>
/// What rustc's dep-info (<c>--emit=dep-info</c>) says a compile read: the source files (first
/// rule's prerequisites: the crate root, its modules, <c>include!</c>d files) and the environment
/// variables read by <c>env!</c>/<c>option_env!</c> (<c># env-dep:NAME=VALUE</c>, or just
/// <c>NAME</c> when it was unset), values in rustc's escaped form.
/// </summary>
public sealed record RustDepInfo(IReadOnlyList<string> Sources, IReadOnlyList<KeyValuePair<string, string?>> EnvDependencies)
{
    private const string EnvDepPrefix = "# env-dep:";

    /// <summary>Null when the text is not a dep-info file.</summary>
    public static RustDepInfo? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sources = DepfileParser.ParsePrerequisites(text);
        if (sources is null)
        {
            return null;
        }

        var env = new List<KeyValuePair<string, string?>>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (!line.StartsWith(EnvDepPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var item = line[EnvDepPrefix.Length..];
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            env.Add(equals < 0 ? new(item, null) : new(item[..equals], item[(equals + 1)..]));
        }

        env.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new RustDepInfo(sources, env);
    }

    /// <summary>A value as rustc writes it after <c>env-dep:NAME=</c>: backslash, CR and LF escaped.</summary>
    public static string EscapeValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
    }
}
