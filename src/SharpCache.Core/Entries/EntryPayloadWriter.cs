using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace SharpCache.Core.Entries;

/// <summary>Writes the uncompressed payload piece by piece to the compressor and the checksum, without materialising it.</summary>
internal static class EntryPayloadWriter
{
    public static long MeasurePayload(CacheEntry entry)
    {
        long length = 4 + entry.Stdout.Length + 4 + entry.Stderr.Length + 4;
        foreach (var file in entry.Files)
        {
            ArgumentNullException.ThrowIfNull(file);
            ArgumentNullException.ThrowIfNull(file.Name);
            var nameBytes = Encoding.UTF8.GetByteCount(file.Name);
            if (nameBytes > EntryFormat.MaxNameBytes)
            {
                throw new ArgumentException($"Entry file name is {nameBytes} bytes long; the limit is {EntryFormat.MaxNameBytes}.", nameof(entry));
            }

            length += 2 + nameBytes + 4 + 8 + file.Content.Length;
        }

        return length;
    }

    public static void WritePayload(CacheEntry entry, Stream destination, XxHash3 hasher)
    {
        Span<byte> scratch = stackalloc byte[8];
        WriteBlob(entry.Stdout.Span, destination, hasher, scratch);
        WriteBlob(entry.Stderr.Span, destination, hasher, scratch);
        BinaryPrimitives.WriteInt32LittleEndian(scratch, entry.Files.Count);
        Write(scratch[..4], destination, hasher);
        foreach (var file in entry.Files)
        {
            var name = Encoding.UTF8.GetBytes(file.Name);
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, (ushort)name.Length);
            Write(scratch[..2], destination, hasher);
            Write(name, destination, hasher);
            BinaryPrimitives.WriteInt32LittleEndian(scratch, file.UnixMode);
            Write(scratch[..4], destination, hasher);
            BinaryPrimitives.WriteInt64LittleEndian(scratch, file.Content.Length);
            Write(scratch[..8], destination, hasher);
            Write(file.Content.Span, destination, hasher);
        }
    }

    private static void WriteBlob(ReadOnlySpan<byte> blob, Stream destination, XxHash3 hasher, Span<byte> scratch)
    {
        BinaryPrimitives.WriteInt32LittleEndian(scratch, blob.Length);
        Write(scratch[..4], destination, hasher);
        Write(blob, destination, hasher);
    }

    private static void Write(ReadOnlySpan<byte> bytes, Stream destination, XxHash3 hasher)
    {
        hasher.Append(bytes);
        destination.Write(bytes);
    }
}
