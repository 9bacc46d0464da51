using System.Globalization;

namespace SharpCache.Configuration;

/// <summary>Parses sccache-style sizes: an integer with an optional K/M/G/T suffix (powers of 1024).</summary>
internal static class SizeParser
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        long multiplier = 1;
        var last = char.ToUpperInvariant(s[^1]);
        if (last == 'B' && s.Length > 1)
        {
            s = s[..^1];
            last = char.ToUpperInvariant(s[^1]);
        }

        switch (last)
        {
            case 'K': multiplier = 1L << 10; s = s[..^1]; break;
            case 'M': multiplier = 1L << 20; s = s[..^1]; break;
            case 'G': multiplier = 1L << 30; s = s[..^1]; break;
            case 'T': multiplier = 1L << 40; s = s[..^1]; break;
            default: break;
        }

        if (!long.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }

        try
        {
            bytes = checked(value * multiplier);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
