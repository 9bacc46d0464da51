using System.Text;

namespace SharpCache.Core.Compilers;

/// <summary>
/// <c>@file</c> expansion with gcc's (libiberty <c>buildargv</c>) rules, which clang 14 follows on
/// Linux too: arguments are separated by whitespace; single and double quotes group; a backslash
/// escapes the next character everywhere, inside quotes included. Response files nest; a nested
/// <c>@file</c> is relative to the working directory (not the including file), as both gcc 12 and
/// clang 14 do. An <c>@file</c> that does not exist stays a literal argument, as in gcc (it then
/// reads as an input file and the compile is not cached). One that exists but cannot be read, or
/// nesting deeper than <see cref="MaxDepth"/>, is a <see cref="NotCacheableReason.ResponseFileError"/>.
/// </summary>
internal static class GccResponseFiles
{
    public const int MaxDepth = 16;

    /// <summary>
    /// Returns <paramref name="arguments"/> itself when it holds no <c>@file</c> (the usual case,
    /// allocation-free), else the expanded list; null with <paramref name="failure"/> set on error.
    /// </summary>
    public static IReadOnlyList<string>? Expand(
        IReadOnlyList<string> arguments,
        string workingDirectory,
        out ArgumentParseResult.NotCacheable? failure)
    {
        failure = null;
        var any = false;
        for (var i = 0; i < arguments.Count && !any; i++)
        {
            any = IsResponseFile(arguments[i]);
        }

        if (!any)
        {
            return arguments;
        }

        var result = new List<string>(arguments.Count + 16);
        return ExpandInto(arguments, workingDirectory, 0, result, out failure) ? result : null;
    }

    /// <summary>Splits response-file text into arguments.</summary>
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            current.Clear();
            var quote = '\0';
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\\' && i + 1 < text.Length)
                {
                    current.Append(text[++i]);
                }
                else if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }
                    else
                    {
                        current.Append(c);
                    }
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (char.IsWhiteSpace(c))
                {
                    break;
                }
                else
                {
                    current.Append(c);
                }
            }

            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static bool IsResponseFile(string argument) => argument.Length > 1 && argument[0] == '@';

    private static bool ExpandInto(
        IReadOnlyList<string> arguments,
        string workingDirectory,
        int depth,
        List<string> result,
        out ArgumentParseResult.NotCacheable? failure)
    {
        failure = null;
        foreach (var argument in arguments)
        {
            if (!IsResponseFile(argument))
            {
                result.Add(argument);
                continue;
            }

            var path = Path.Combine(workingDirectory, argument[1..]);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                result.Add(argument);
                continue;
            }

            if (depth >= MaxDepth)
            {
                failure = new(NotCacheableReason.ResponseFileError, argument + ": nested too deeply");
                return false;
            }

            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failure = new(NotCacheableReason.ResponseFileError, argument + ": " + e.Message);
                return false;
            }

            if (!ExpandInto(Tokenize(text), workingDirectory, depth + 1, result, out failure))
            {
                return false;
            }
        }

        return true;
    }
}
