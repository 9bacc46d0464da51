using SharpCache.Core.Formats;
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

        var result = new byte[BlobHeader.Size + stored.Length];
        var compression = compress ? BlobHeader.CompressionZstd : BlobHeader.CompressionNone;
        new BlobHeader(ManifestFormat.Version, compression, payload.Length, stored.Length, XxHash3.HashToUInt64(payload))
            .Write(result.AsSpan(0, BlobHeader.Size), ManifestFormat.Magic);
        stored.CopyTo(result.AsSpan(BlobHeader.Size));
        return result;
    }

    /// <summary>The manifest, or null for any defect (the caller treats it as absent and overwrites it).</summary>
    public static Manifest? Decode(ReadOnlySpan<byte> data) => TryDecode(data, out var manifest, out _) ? manifest : null;

    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out Manifest? manifest, [NotNullWhen(false)] out string? reason)
    {
        manifest = null;
        reason = BlobHeader.TryRead(data, ManifestFormat.Magic, ManifestFormat.Version, ManifestFormat.MaxPayloadLength, out var header);
        var compression = header.Compression;
        var payloadLength = header.PayloadLength;
        var checksum = header.Checksum;
        var stored = data[Math.Min(BlobHeader.Size, data.Length)..];
        if (reason is not null)
        {
            return false;
        }

        if (compression == BlobHeader.CompressionNone)
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
