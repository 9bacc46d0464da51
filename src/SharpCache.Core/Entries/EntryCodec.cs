using SharpCache.Core.Formats;
using System.Buffers.Binary;
using System.IO.Hashing;
using ZstdSharp;

namespace SharpCache.Core.Entries;

/// <summary>
/// Serialises entries to the self-describing on-disk format: a 32-byte header (magic, version,
/// compression, payload length, compressed length, XXH3-64 checksum) followed by one zstd frame.
/// See README.md in this folder for the byte layout.
/// </summary>
public static class EntryCodec
{
    public const int DefaultZstdLevel = 3;

    /// <summary>Encodes <paramref name="entry"/>.</summary>
    /// <exception cref="ArgumentException">The entry's payload would exceed ~2 GiB (not cacheable).</exception>
    public static byte[] Encode(CacheEntry entry, int zstdLevel = DefaultZstdLevel)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var payloadLength = EntryPayloadWriter.MeasurePayload(entry);
        if (payloadLength > EntryFormat.MaxPayloadLength)
        {
            throw new ArgumentException($"Entry payload of {payloadLength} bytes exceeds the format limit of {EntryFormat.MaxPayloadLength} bytes.", nameof(entry));
        }

        if (payloadLength <= OneShotLimit)
        {
            return EncodeOneShot(entry, (int)payloadLength, zstdLevel);
        }

        // Most compiler output compresses 3-10x; start with a modest guess and let the stream grow.
        var capacity = (int)Math.Min(BlobHeader.Size + (payloadLength / 2) + 4096, Array.MaxLength);
        using var output = new MemoryStream(capacity);
        output.Write(stackalloc byte[BlobHeader.Size]);

        var hasher = new XxHash3();
        using (var zstd = new CompressionStream(output, zstdLevel, leaveOpen: true))
        {
            // Recording the content size in the frame header lets Decode cross-check the declared
            // length before it allocates anything.
            zstd.SetPledgedSrcSize((ulong)payloadLength);
            EntryPayloadWriter.WritePayload(entry, zstd, hasher);
        }

        var compressedLength = output.Length - BlobHeader.Size;
        var buffer = output.GetBuffer();
        new BlobHeader(EntryFormat.Version, BlobHeader.CompressionZstd, payloadLength, compressedLength, hasher.GetCurrentHashAsUInt64())
            .Write(buffer.AsSpan(0, BlobHeader.Size), EntryFormat.Magic);

        return buffer.Length == output.Length ? buffer : output.ToArray();
    }

    /// <summary>
    /// Payloads up to this size are laid out in memory and compressed in one call: a compression stream allocates two
    /// 128 KiB buffers and a context for unknown sizes first, which cost a small entry (a compile's object) more than its
    /// compression (0.3-0.5 ms in a fresh client process). The frame is the same either way.
    /// </summary>
    private const int OneShotLimit = 4 << 20;

    private static byte[] EncodeOneShot(CacheEntry entry, int payloadLength, int zstdLevel)
    {
        var payload = new MemoryStream(payloadLength);
        var hasher = new XxHash3();
        EntryPayloadWriter.WritePayload(entry, payload, hasher);
        var source = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var output = GC.AllocateUninitializedArray<byte>(BlobHeader.Size + Compressor.GetCompressBound(source.Length));
        int compressedLength;
        using (var compressor = new Compressor(zstdLevel))
        {
            compressedLength = compressor.Wrap(source, output.AsSpan(BlobHeader.Size));
        }

        new BlobHeader(EntryFormat.Version, BlobHeader.CompressionZstd, payloadLength, compressedLength, hasher.GetCurrentHashAsUInt64())
            .Write(output.AsSpan(0, BlobHeader.Size), EntryFormat.Magic);
        return output.AsSpan(0, BlobHeader.Size + compressedLength).ToArray();
    }

    /// <summary>Decodes stored bytes. Never throws on bad input: any defect is a <see cref="EntryDecodeResult.Corrupt"/>.</summary>
    public static EntryDecodeResult Decode(ReadOnlySpan<byte> data)
    {
        if (BlobHeader.TryRead(data, EntryFormat.Magic, EntryFormat.Version, EntryFormat.MaxPayloadLength, out var header) is { } defect)
        {
            return Corrupt(defect);
        }

        if (header.Compression != BlobHeader.CompressionZstd)
        {
            return Corrupt($"unknown compression type {header.Compression}");
        }

        return DecompressAndParse(data[BlobHeader.Size..], (int)header.PayloadLength, header.Checksum);
    }

    private static EntryDecodeResult DecompressAndParse(ReadOnlySpan<byte> compressed, int payloadLength, ulong checksum)
    {
        byte[] payload;
        try
        {
            // Second, independent size check before allocating: the zstd frame header's content size.
            var frameSize = Decompressor.GetDecompressedSize(compressed);
            if (frameSize != (ulong)payloadLength)
            {
                return Corrupt($"zstd frame content size {frameSize} does not match declared length {payloadLength}");
            }

            payload = GC.AllocateUninitializedArray<byte>(payloadLength);
            using var decompressor = new Decompressor();
            if (!decompressor.TryUnwrap(compressed, payload, out var written) || written != payloadLength)
            {
                return Corrupt("zstd data does not decompress to the declared length");
            }
        }
        catch (ZstdException ex)
        {
            return Corrupt($"bad zstd data: {ex.Message}");
        }
        catch (OutOfMemoryException)
        {
            return Corrupt($"cannot allocate {payloadLength} bytes");
        }

        if (XxHash3.HashToUInt64(payload) != checksum)
        {
            return Corrupt("checksum mismatch");
        }

        return EntryPayloadReader.Parse(payload, out var entry, out var reason)
            ? new EntryDecodeResult.Ok(entry)
            : Corrupt(reason);
    }

    private static EntryDecodeResult.Corrupt Corrupt(string reason) => new(reason);
}
