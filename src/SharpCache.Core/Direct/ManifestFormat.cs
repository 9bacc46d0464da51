namespace SharpCache.Core.Direct;

/// <summary>
/// Constants of the manifest format (byte layout in this folder's README.md). Same 32-byte header
/// shape as cache entries; bump <see cref="Version"/> on any incompatible change.
/// </summary>
internal static class ManifestFormat
{
    /// <summary>"SHCM" in ASCII at offset 0.</summary>
    public static ReadOnlySpan<byte> Magic => "SHCM"u8;

    public const ushort Version = 1;

    /// <summary>Payloads below this are stored uncompressed: zstd would cost more time than it saves.</summary>
    public const int CompressionThreshold = 4096;

    /// <summary>Size-bomb guard on the declared payload length.</summary>
    public const int MaxPayloadLength = 64 * 1024 * 1024;

    /// <summary>Decode-side sanity bounds, far above what <see cref="ManifestMerger"/> produces.</summary>
    public const int MaxDecodedEntries = 1024;

    public const int FileRecordSize = 4 + FileDigest.Size + StampSize;
    public const int ProbeDirectoryRecordSize = 4 + 1 + StampSize;
    public const int ProbeRecordSize = 8;
    public const int StampSize = 40;
}
