namespace SharpCache.Core.Entries;

/// <summary>
/// Constants of the on-disk entry format. The byte layout is documented in this folder's README.md;
/// change both together, and bump <see cref="Version"/> on any incompatible change.
/// </summary>
internal static class EntryFormat
{
    /// <summary>"SHCE" in ASCII, stored as these four bytes at offset 0.</summary>
    public static ReadOnlySpan<byte> Magic => "SHCE"u8;

    public const ushort Version = 1;

    /// <summary>
    /// Size-bomb guard: the decoded payload lives in one managed array, so its declared length may not
    /// exceed <see cref="Array.MaxLength"/> (just under 2 GiB).
    /// </summary>
    public static long MaxPayloadLength => Array.MaxLength;

    public const int MaxNameBytes = ushort.MaxValue;
}
