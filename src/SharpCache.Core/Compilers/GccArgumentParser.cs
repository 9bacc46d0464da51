namespace SharpCache.Core.Compilers;

/// <summary>
/// Table-driven argument model for gcc and clang (C, C++, Objective-C, assembler).
/// The rows live in <see cref="GccOptionTable"/>; this type walks the arguments, routes each to
/// the preprocessor run and/or the key by its <see cref="GccOptionKind"/>, and derives the outputs.
/// </summary>
public static partial class GccArgumentParser
{
    /// <summary>
    /// Classifies <paramref name="arguments"/> (everything after the compiler executable).
    /// <c>@file</c> response files are expanded relative to <paramref name="workingDirectory"/>,
    /// which also resolves relative profile, plugin and specs paths.
    /// </summary>
    public static ArgumentParseResult Parse(IReadOnlyList<string> arguments, CompilerFamily family, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(workingDirectory);

        var expanded = GccResponseFiles.Expand(arguments, workingDirectory, out var responseFileFailure);
        if (expanded is null)
        {
            return responseFileFailure!;
        }

        var lookup = GccOptionLookup.Get(family);
        var state = new ParseState(family, workingDirectory, expanded.Count);
        for (var i = 0; i < expanded.Count; i++)
        {
            var argument = expanded[i];
            if (argument.Length < 2 || argument[0] != '-')
            {
                if (argument == "-")
                {
                    return new ArgumentParseResult.NotCacheable(NotCacheableReason.StdinInput, argument);
                }

                state.AddInput(argument);
                continue;
            }

            if (argument.StartsWith("-fopt-info", StringComparison.Ordinal) && argument.Contains('=', StringComparison.Ordinal))
            {
                // gcc's optimization report to a file of its own (without "=file" it goes to stderr, which is cached).
                return new ArgumentParseResult.NotCacheable(NotCacheableReason.UnsupportedFlag, argument);
            }

            if (!lookup.TryMatch(argument, out var match))
            {
                // Unknown option: assume it may affect both preprocessing and code generation.
                state.Preprocess.Add(argument);
                state.Hashed.Add(argument);
                continue;
            }

            string? separateValue = null;
            if (match.ValueInNextArgument)
            {
                if (i + 1 == expanded.Count)
                {
                    return new ArgumentParseResult.NotCacheable(NotCacheableReason.UnsupportedFlag, argument + " without a value");
                }

                separateValue = expanded[++i];
            }

            var failure = state.Apply(match, argument, separateValue);
            if (failure is not null)
            {
                return failure;
            }
        }

        return state.Finish();
    }
}
