using System.Globalization;

namespace SharpCache.Config;

/// <summary>sccache's sizes: a non-negative integer with an optional K, M, G or T suffix (powers of 1024, any case).</summary>
public static class SizeValue
{
    /// <summary>10 GiB: sccache's default disk cache and toolchain cache size.</summary>
    public const long TenGiB = 10L << 30;

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var shift = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        var digits = shift == 0 ? text.AsSpan() : text.AsSpan(0, text.Length - 1);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = value << shift;
        return true;
    }
}
