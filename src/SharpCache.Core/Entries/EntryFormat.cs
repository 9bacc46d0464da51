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

    public const byte CompressionZstd = 1;

    public const int HeaderSize = 32;

    public const int VersionOffset = 4;
    public const int CompressionOffset = 6;
    public const int FlagsOffset = 7;
    public const int PayloadLengthOffset = 8;
    public const int CompressedLengthOffset = 16;
    public const int ChecksumOffset = 24;

    /// <summary>
    /// Size-bomb guard: the decoded payload lives in one managed array, so its declared length may not
    /// exceed <see cref="Array.MaxLength"/> (just under 2 GiB).
    /// </summary>
    public static long MaxPayloadLength => Array.MaxLength;

    public const int MaxNameBytes = ushort.MaxValue;
}
