using System.Buffers.Binary;

namespace SharpCache.Core.Formats;

/// <summary>
/// The 32-byte header every persisted SharpCache blob (cache entry, manifest) starts with, so
/// that any stored object says what it is before anything is allocated or decompressed:
/// <code>
/// 0  magic (4 bytes, per format)     8  payload length (i64, uncompressed)
/// 4  version (u16)                  16  stored length (i64, bytes after the header)
/// 6  compression (u8: 0 none, 1 zstd) 24 XXH3-64 of the uncompressed payload (u64)
/// 7  flags (u8, must be 0)
/// </code>
/// All integers little-endian. The formats' READMEs (Entries/, Direct/) describe the payloads.
/// </summary>
internal readonly record struct BlobHeader(ushort Version, byte Compression, long PayloadLength, long StoredLength, ulong Checksum)
{
    public const int Size = 32;
    public const byte CompressionNone = 0;
    public const byte CompressionZstd = 1;

    private const int VersionOffset = 4;
    private const int CompressionOffset = 6;
    private const int FlagsOffset = 7;
    private const int PayloadLengthOffset = 8;
    private const int StoredLengthOffset = 16;
    private const int ChecksumOffset = 24;

    public void Write(Span<byte> destination, ReadOnlySpan<byte> magic)
    {
        magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[VersionOffset..], Version);
        destination[CompressionOffset] = Compression;
        destination[FlagsOffset] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(destination[PayloadLengthOffset..], PayloadLength);
        BinaryPrimitives.WriteInt64LittleEndian(destination[StoredLengthOffset..], StoredLength);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[ChecksumOffset..], Checksum);
    }

    /// <summary>
    /// Reads and checks the header of <paramref name="data"/> (the whole blob): size, magic,
    /// version, flags, the declared payload length against <paramref name="maxPayloadLength"/>
    /// and the stored length against the bytes present. Returns null when valid, else the defect.
    /// The caller checks <see cref="Compression"/> against what its format allows.
    /// </summary>
    public static string? TryRead(ReadOnlySpan<byte> data, ReadOnlySpan<byte> magic, ushort version, long maxPayloadLength, out BlobHeader header)
    {
        header = default;
        if (data.Length < Size)
        {
            return $"truncated header ({data.Length} of {Size} bytes)";
        }

        if (!data[..magic.Length].SequenceEqual(magic))
        {
            return "bad magic";
        }

        header = new BlobHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(data[VersionOffset..]),
            data[CompressionOffset],
            BinaryPrimitives.ReadInt64LittleEndian(data[PayloadLengthOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[StoredLengthOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(data[ChecksumOffset..]));
        var stored = data.Length - Size;
        return header.Version != version ? $"unsupported format version {header.Version}"
            : header.Compression > CompressionZstd ? $"unknown compression type {header.Compression}"
            : data[FlagsOffset] != 0 ? $"unknown flags 0x{data[FlagsOffset]:x2}"
            : header.PayloadLength < 0 || header.PayloadLength > maxPayloadLength ? $"declared payload length {header.PayloadLength} out of range"
            : header.StoredLength != stored ? $"stored length is {stored}, header says {header.StoredLength}"
            : header.Compression == CompressionNone && header.StoredLength != header.PayloadLength ? "uncompressed length mismatch"
            : null;
    }
}
