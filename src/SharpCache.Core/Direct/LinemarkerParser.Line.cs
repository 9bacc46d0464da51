namespace SharpCache.Core.Direct;

/// <summary>Parsing one '#' line: <c># N "path" flags</c> or <c>#line N "path"</c>.</summary>
internal sealed partial class LinemarkerParser
{
    private void ParseLine(ReadOnlySpan<byte> line)
    {
        // line[0] is '#'.
        var i = SkipBlanks(line, 1);
        if (line[i..].StartsWith("line"u8))
        {
            var afterKeyword = i + 4;
            i = SkipBlanks(line, afterKeyword);
            if (i == afterKeyword)
            {
                return;
            }
        }

        var digitsStart = i;
        while (i < line.Length && (uint)(line[i] - '0') <= 9)
        {
            i++;
        }

        if (i == digitsStart)
        {
            return;
        }

        var afterDigits = i;
        i = SkipBlanks(line, i);
        if (i == afterDigits || i >= line.Length || line[i] != (byte)'"')
        {
            return;
        }

        var quoted = line[(i + 1)..];
        var special = quoted.IndexOfAny((byte)'"', (byte)'\\');
        if (special < 0)
        {
            return;
        }

        if (quoted[special] == (byte)'"')
        {
            AddPath(quoted[..special]);
            return;
        }

        AddEscapedPath(quoted);
    }

    /// <summary>gcc and clang escape <c>\</c> and <c>"</c> with a backslash and (clang) unprintable bytes as <c>\ooo</c>.</summary>
    private void AddEscapedPath(ReadOnlySpan<byte> quoted)
    {
        var buffer = quoted.Length <= 1024 ? stackalloc byte[1024] : new byte[quoted.Length];
        var n = 0;
        var i = 0;
        while (i < quoted.Length)
        {
            var c = quoted[i];
            if (c == (byte)'"')
            {
                AddPath(buffer[..n]);
                return;
            }

            if (c != (byte)'\\' || i + 1 >= quoted.Length)
            {
                buffer[n++] = c;
                i++;
                continue;
            }

            var next = quoted[i + 1];
            if (IsOctal(next))
            {
                var value = 0;
                var j = i + 1;
                while (j < quoted.Length && j < i + 4 && IsOctal(quoted[j]))
                {
                    value = (value * 8) + (quoted[j] - '0');
                    j++;
                }

                buffer[n++] = (byte)value;
                i = j;
            }
            else
            {
                buffer[n++] = next;
                i += 2;
            }
        }

        // No closing quote: not a linemarker.
    }

    private static bool IsOctal(byte c) => (uint)(c - '0') <= 7;

    private static int SkipBlanks(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && (line[i] == (byte)' ' || line[i] == (byte)'\t'))
        {
            i++;
        }

        return i;
    }
}
