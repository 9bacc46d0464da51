using System.Buffers.Binary;
using System.Text;

namespace SharpCache.Core.Direct;

/// <summary>Writes the uncompressed manifest payload (layout in README.md).</summary>
internal static class ManifestPayloadWriter
{
    public static byte[] Write(Manifest manifest)
    {
        var length = Measure(manifest);
        var payload = new byte[length];
        var span = payload.AsSpan();
        var position = 0;
        WriteInt32(span, ref position, manifest.Paths.Length);
        foreach (var path in manifest.Paths)
        {
            WriteString(span, ref position, path);
        }

        WriteInt32(span, ref position, manifest.Files.Length);
        foreach (var file in manifest.Files)
        {
            WriteInt32(span, ref position, file.PathIndex);
            file.Digest.Write(span[position..]);
            position += FileDigest.Size;
            WriteStamp(span, ref position, file.Stamp);
        }

        WriteInt32(span, ref position, manifest.ProbeDirectories.Length);
        foreach (var directory in manifest.ProbeDirectories)
        {
            WriteInt32(span, ref position, directory.PathIndex);
            span[position++] = directory.Exists ? (byte)1 : (byte)0;
            WriteStamp(span, ref position, directory.Stamp);
        }

        WriteInt32(span, ref position, manifest.Probes.Length);
        foreach (var probe in manifest.Probes)
        {
            WriteInt32(span, ref position, probe.PathIndex);
            WriteInt32(span, ref position, probe.DirectoryIndex);
        }

        WriteInt32(span, ref position, manifest.Entries.Length);
        foreach (var entry in manifest.Entries)
        {
            WriteIndices(span, ref position, entry.FileIndices);
            WriteIndices(span, ref position, entry.ProbeIndices);
            WriteString(span, ref position, entry.ResultKey);
        }

        return payload;
    }

    private static int Measure(Manifest manifest)
    {
        long length = 4;
        foreach (var path in manifest.Paths)
        {
            length += 2 + MeasureString(path);
        }

        length += 4 + ((long)manifest.Files.Length * ManifestFormat.FileRecordSize);
        length += 4 + ((long)manifest.ProbeDirectories.Length * ManifestFormat.ProbeDirectoryRecordSize);
        length += 4 + ((long)manifest.Probes.Length * ManifestFormat.ProbeRecordSize);
        length += 4;
        foreach (var entry in manifest.Entries)
        {
            length += 4 + (4L * entry.FileIndices.Length) + 4 + (4L * entry.ProbeIndices.Length) + 2 + MeasureString(entry.ResultKey);
        }

        if (length > ManifestFormat.MaxPayloadLength)
        {
            throw new ArgumentException($"Manifest payload of {length} bytes exceeds the format limit.", nameof(manifest));
        }

        return (int)length;
    }

    private static int MeasureString(string value)
    {
        var n = Encoding.UTF8.GetByteCount(value);
        if (n > ushort.MaxValue)
        {
            throw new ArgumentException($"A manifest string of {n} bytes exceeds the format limit of {ushort.MaxValue}.", nameof(value));
        }

        return n;
    }

    private static void WriteString(Span<byte> span, ref int position, string value)
    {
        var n = Encoding.UTF8.GetBytes(value, span[(position + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[position..], (ushort)n);
        position += 2 + n;
    }

    private static void WriteIndices(Span<byte> span, ref int position, int[] indices)
    {
        WriteInt32(span, ref position, indices.Length);
        foreach (var index in indices)
        {
            WriteInt32(span, ref position, index);
        }
    }

    private static void WriteStamp(Span<byte> span, ref int position, FileStamp stamp)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span[position..], stamp.Size);
        BinaryPrimitives.WriteInt64LittleEndian(span[(position + 8)..], stamp.MtimeNs);
        BinaryPrimitives.WriteInt64LittleEndian(span[(position + 16)..], stamp.CtimeNs);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(position + 24)..], stamp.Inode);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(position + 32)..], stamp.Device);
        position += ManifestFormat.StampSize;
    }

    private static void WriteInt32(Span<byte> span, ref int position, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[position..], value);
        position += 4;
    }
}
