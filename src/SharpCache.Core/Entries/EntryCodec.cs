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

        // Most compiler output compresses 3-10x; start with a modest guess and let the stream grow.
        var capacity = (int)Math.Min(EntryFormat.HeaderSize + (payloadLength / 2) + 4096, Array.MaxLength);
        using var output = new MemoryStream(capacity);
        output.Write(stackalloc byte[EntryFormat.HeaderSize]);

        var hasher = new XxHash3();
        using (var zstd = new CompressionStream(output, zstdLevel, leaveOpen: true))
        {
            // Recording the content size in the frame header lets Decode cross-check the declared
            // length before it allocates anything.
            zstd.SetPledgedSrcSize((ulong)payloadLength);
            EntryPayloadWriter.WritePayload(entry, zstd, hasher);
        }

        var compressedLength = output.Length - EntryFormat.HeaderSize;
        var buffer = output.GetBuffer();
        var header = buffer.AsSpan(0, EntryFormat.HeaderSize);
        EntryFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[EntryFormat.VersionOffset..], EntryFormat.Version);
        header[EntryFormat.CompressionOffset] = EntryFormat.CompressionZstd;
        header[EntryFormat.FlagsOffset] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(header[EntryFormat.PayloadLengthOffset..], payloadLength);
        BinaryPrimitives.WriteInt64LittleEndian(header[EntryFormat.CompressedLengthOffset..], compressedLength);
        BinaryPrimitives.WriteUInt64LittleEndian(header[EntryFormat.ChecksumOffset..], hasher.GetCurrentHashAsUInt64());

        return buffer.Length == output.Length ? buffer : output.ToArray();
    }

    /// <summary>Decodes stored bytes. Never throws on bad input: any defect is a <see cref="EntryDecodeResult.Corrupt"/>.</summary>
    public static EntryDecodeResult Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < EntryFormat.HeaderSize)
        {
            return Corrupt($"truncated header ({data.Length} of {EntryFormat.HeaderSize} bytes)");
        }

        if (!data[..EntryFormat.Magic.Length].SequenceEqual(EntryFormat.Magic))
        {
            return Corrupt("bad magic");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[EntryFormat.VersionOffset..]);
        if (version != EntryFormat.Version)
        {
            return Corrupt($"unsupported format version {version}");
        }

        if (data[EntryFormat.CompressionOffset] != EntryFormat.CompressionZstd)
        {
            return Corrupt($"unknown compression type {data[EntryFormat.CompressionOffset]}");
        }

        if (data[EntryFormat.FlagsOffset] != 0)
        {
            return Corrupt($"unknown flags 0x{data[EntryFormat.FlagsOffset]:x2}");
        }

        var payloadLength = BinaryPrimitives.ReadInt64LittleEndian(data[EntryFormat.PayloadLengthOffset..]);
        var compressedLength = BinaryPrimitives.ReadInt64LittleEndian(data[EntryFormat.CompressedLengthOffset..]);
        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(data[EntryFormat.ChecksumOffset..]);
        if (payloadLength < 0 || payloadLength > EntryFormat.MaxPayloadLength)
        {
            return Corrupt($"declared payload length {payloadLength} out of range");
        }

        var compressed = data[EntryFormat.HeaderSize..];
        if (compressedLength != compressed.Length)
        {
            return Corrupt($"compressed length is {compressed.Length}, header says {compressedLength}");
        }

        return DecompressAndParse(compressed, (int)payloadLength, checksum);
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
