using System.Text;

namespace SharpCache.Core.Compilers.Depfiles;

/// <summary>
/// Reads the prerequisites of the first rule of a make-syntax depfile as gcc and clang write it
/// (<c>-MD</c>): <c>target: dep1 dep2 \</c> continuation lines, <c>\ </c> for a space in a name,
/// <c>$$</c> for <c>$</c>. Phony rules added by <c>-MP</c> follow a blank line and are ignored.
/// </summary>
public static class DepfileParser
{
    /// <summary>The prerequisites in order, or null when the text is not a depfile this parser understands.</summary>
    public static List<string>? ParsePrerequisites(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<string>();
        var token = new StringBuilder();
        var sawColon = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                if (next == '\n' || (next == '\r' && i + 2 < text.Length && text[i + 2] == '\n'))
                {
                    // Line continuation: a separator.
                    Flush(token, result, sawColon);
                    i += next == '\n' ? 2 : 3;
                    continue;
                }

                if (next is ' ' or '#' or '\\')
                {
                    token.Append(next);
                    i += 2;
                    continue;
                }

                token.Append(c);
                i++;
                continue;
            }

            if (c == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                token.Append('$');
                i += 2;
                continue;
            }

            if (c == '\n')
            {
                Flush(token, result, sawColon);
                if (sawColon)
                {
                    // End of the first rule.
                    return result;
                }

                i++;
                continue;
            }

            if (c is ' ' or '\t' or '\r')
            {
                Flush(token, result, sawColon);
                i++;
                continue;
            }

            if (c == ':' && !sawColon && (i + 1 >= text.Length || text[i + 1] is ' ' or '\t' or '\n' or '\r'))
            {
                // The target list ends here (a ':' inside a Windows drive path is not followed by a blank).
                token.Clear();
                sawColon = true;
                i++;
                continue;
            }

            token.Append(c);
            i++;
        }

        Flush(token, result, sawColon);
        return sawColon ? result : null;
    }

    private static void Flush(StringBuilder token, List<string> result, bool sawColon)
    {
        if (token.Length == 0)
        {
            return;
        }

        if (sawColon)
        {
            result.Add(token.ToString());
        }

        token.Clear();
    }
}
