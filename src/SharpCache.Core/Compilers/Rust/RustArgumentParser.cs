namespace SharpCache.Core.Compilers.Rust;

/// <summary>
/// Classifies a rustc command line (cargo's <c>RUSTC_WRAPPER</c> calls) with
/// <see cref="RustOptionTable"/>. Every crate type is cacheable: <c>lib</c>, <c>rlib</c> and
/// <c>staticlib</c> are archives rustc writes itself (what sccache caches); <c>bin</c>,
/// <c>proc-macro</c>, <c>dylib</c> and <c>cdylib</c> run the system linker, and are cacheable
/// for ELF (<c>-linux-</c>) targets with <see cref="RustCompilation.LinksWithSystemLinker"/> set
/// so the key adds the linker identity and native libraries. The transitive rlibs the linker
/// reads through <c>-L dependency=</c> need no key entry of their own: each direct
/// <c>--extern</c> rlib embeds the SVH (crate hash) of every crate it depends on, so a change
/// anywhere below changes a direct dependency's digest.
/// </summary>
public static partial class RustArgumentParser
{
    private static readonly Dictionary<string, RustOption> Options = RustOptionTable.Create().ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>Classifies <paramref name="arguments"/> (without the rustc executable itself).</summary>
    public static RustParseResult Parse(IReadOnlyList<string> arguments, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var expanded = RustResponseFiles.Expand(arguments, workingDirectory, out var responseProblem);
        if (expanded is null)
        {
            return new RustParseResult.NotCacheable(responseProblem ?? "unreadable @file");
        }

        var state = new ParseState();
        for (var i = 0; i < expanded.Count; i++)
        {
            var argument = expanded[i];
            if (argument.Length < 2 || argument[0] != '-')
            {
                state.Inputs.Add(argument);
                state.Kept.Add(argument);
                continue;
            }

            var start = i;
            if (!TryMatch(expanded, ref i, out var option, out var value))
            {
                state.Problem ??= "unknown rustc option " + OptionName(argument);
                continue;
            }

            var keep = state.Apply(option, value);
            if (keep)
            {
                for (var j = start; j <= i; j++)
                {
                    state.Kept.Add(expanded[j]);
                }
            }
        }

        return state.Finish();
    }

    private static bool TryMatch(List<string> arguments, ref int i, out RustOption option, out string? value)
    {
        var argument = arguments[i];
        value = null;
        if (Options.TryGetValue(argument, out option!))
        {
            if (option.TakesValue)
            {
                if (i + 1 >= arguments.Count)
                {
                    return false;
                }

                value = arguments[++i];
            }

            return true;
        }

        if (argument.StartsWith("--", StringComparison.Ordinal))
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && Options.TryGetValue(argument[..equals], out option!) && option.TakesValue)
            {
                value = argument[(equals + 1)..];
                return true;
            }

            return false;
        }

        if (Options.TryGetValue(argument[..2], out option!) && option.TakesValue)
        {
            value = argument[2..];
            return true;
        }

        return false;
    }

    private static string OptionName(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? argument[..equals] : argument;
    }
}
