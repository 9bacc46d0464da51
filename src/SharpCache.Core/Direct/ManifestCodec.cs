using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using ZstdSharp;

namespace SharpCache.Core.Direct;

/// <summary>
/// Manifest bytes: a 32-byte header (magic <c>SHCM</c>, version, compression, payload length,
/// stored length, XXH3-64 of the payload) and the payload, zstd-compressed when it is large.
/// Decoding never throws on bad input. Layout in README.md.
/// </summary>
internal static class ManifestCodec
{
    private const int ZstdLevel = 1;

    /// <exception cref="ArgumentException">A path or key longer than 65,535 UTF-8 bytes, or a payload over the format limit.</exception>
    public static byte[] Encode(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var payload = ManifestPayloadWriter.Write(manifest);
        var compress = payload.Length >= ManifestFormat.CompressionThreshold;
        ReadOnlySpan<byte> stored = payload;
        if (compress)
        {
            using var compressor = new Compressor(ZstdLevel);
            stored = compressor.Wrap(payload);
        }

        var result = new byte[ManifestFormat.HeaderSize + stored.Length];
        var header = result.AsSpan(0, ManifestFormat.HeaderSize);
        ManifestFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[ManifestFormat.VersionOffset..], ManifestFormat.Version);
        header[ManifestFormat.CompressionOffset] = compress ? ManifestFormat.CompressionZstd : ManifestFormat.CompressionNone;
        header[ManifestFormat.FlagsOffset] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(header[ManifestFormat.PayloadLengthOffset..], payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[ManifestFormat.StoredLengthOffset..], stored.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[ManifestFormat.ChecksumOffset..], XxHash3.HashToUInt64(payload));
        stored.CopyTo(result.AsSpan(ManifestFormat.HeaderSize));
        return result;
    }

    /// <summary>The manifest, or null for any defect (the caller treats it as absent and overwrites it).</summary>
    public static Manifest? Decode(ReadOnlySpan<byte> data) => TryDecode(data, out var manifest, out _) ? manifest : null;

    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out Manifest? manifest, [NotNullWhen(false)] out string? reason)
    {
        manifest = null;
        if (data.Length < ManifestFormat.HeaderSize)
        {
            reason = $"truncated header ({data.Length} of {ManifestFormat.HeaderSize} bytes)";
            return false;
        }

        if (!data[..4].SequenceEqual(ManifestFormat.Magic))
        {
            reason = "bad magic";
            return false;
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[ManifestFormat.VersionOffset..]);
        var compression = data[ManifestFormat.CompressionOffset];
        var payloadLength = BinaryPrimitives.ReadInt64LittleEndian(data[ManifestFormat.PayloadLengthOffset..]);
        var storedLength = BinaryPrimitives.ReadInt64LittleEndian(data[ManifestFormat.StoredLengthOffset..]);
        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(data[ManifestFormat.ChecksumOffset..]);
        var stored = data[ManifestFormat.HeaderSize..];
        reason = version != ManifestFormat.Version ? $"unsupported format version {version}"
            : compression > ManifestFormat.CompressionZstd ? $"unknown compression type {compression}"
            : data[ManifestFormat.FlagsOffset] != 0 ? "unknown flags"
            : payloadLength < 0 || payloadLength > ManifestFormat.MaxPayloadLength ? $"declared payload length {payloadLength} out of range"
            : storedLength != stored.Length ? $"stored length is {stored.Length}, header says {storedLength}"
            : compression == ManifestFormat.CompressionNone && storedLength != payloadLength ? "uncompressed length mismatch"
            : null;
        if (reason is not null)
        {
            return false;
        }

        if (compression == ManifestFormat.CompressionNone)
        {
            return Verify(stored, checksum, out manifest, out reason);
        }

        byte[] payload;
        try
        {
            if (Decompressor.GetDecompressedSize(stored) != (ulong)payloadLength)
            {
                reason = "zstd frame size does not match the declared length";
                return false;
            }

            payload = GC.AllocateUninitializedArray<byte>((int)payloadLength);
            using var decompressor = new Decompressor();
            if (!decompressor.TryUnwrap(stored, payload, out var written) || written != payloadLength)
            {
                reason = "zstd data does not decompress to the declared length";
                return false;
            }
        }
        catch (ZstdException ex)
        {
            reason = $"bad zstd data: {ex.Message}";
            return false;
        }

        return Verify(payload, checksum, out manifest, out reason);
    }

    private static bool Verify(ReadOnlySpan<byte> payload, ulong checksum, [NotNullWhen(true)] out Manifest? manifest, [NotNullWhen(false)] out string? reason)
    {
        if (XxHash3.HashToUInt64(payload) != checksum)
        {
            manifest = null;
            reason = "checksum mismatch";
            return false;
        }

        return ManifestPayloadReader.Parse(payload, out manifest, out reason);
    }
}
