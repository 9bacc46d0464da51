using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace SharpCache.Core.Direct;

/// <summary>
/// Parses a checksum-verified payload. Every count is bounded by the bytes that remain and every
/// index by its table, so a bad payload is a parse failure, never an exception or a wrong table.
/// </summary>
internal ref struct ManifestPayloadReader
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _position;

    private ManifestPayloadReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
    }

    private readonly int Remaining => _payload.Length - _position;

    public static bool Parse(ReadOnlySpan<byte> payload, [NotNullWhen(true)] out Manifest? manifest, [NotNullWhen(false)] out string? reason)
    {
        var reader = new ManifestPayloadReader(payload);
        return reader.ParseAll(out manifest, out reason);
    }

    private bool ParseAll([NotNullWhen(true)] out Manifest? manifest, [NotNullWhen(false)] out string? reason)
    {
        manifest = null;
        if (!TryReadCount(2, out var pathCount))
        {
            reason = "bad path count";
            return false;
        }

        var paths = new string[pathCount];
        for (var i = 0; i < pathCount; i++)
        {
            if (!TryReadString(out var path))
            {
                reason = $"bad path {i}";
                return false;
            }

            paths[i] = path;
        }

        if (!TryReadFiles(pathCount, out var files) || !TryReadProbeDirectories(pathCount, out var directories) || !TryReadProbes(pathCount, directories.Length, out var probes))
        {
            reason = "bad file or probe table";
            return false;
        }

        if (!TryReadCount(10, out var entryCount) || entryCount > ManifestFormat.MaxDecodedEntries)
        {
            reason = "bad entry count";
            return false;
        }

        var entries = new ManifestEntry[entryCount];
        for (var i = 0; i < entryCount; i++)
        {
            if (!TryReadIndices(files.Length, out var fileIndices) || !TryReadIndices(probes.Length, out var probeIndices) || !TryReadString(out var key))
            {
                reason = $"bad entry {i}";
                return false;
            }

            entries[i] = new ManifestEntry(fileIndices, probeIndices, key);
        }

        if (Remaining != 0)
        {
            reason = $"{Remaining} trailing payload bytes";
            return false;
        }

        manifest = new Manifest(paths, files, directories, probes, entries);
        reason = null;
        return true;
    }

    private bool TryReadFiles(int pathCount, out ManifestFile[] files)
    {
        files = [];
        if (!TryReadCount(ManifestFormat.FileRecordSize, out var count))
        {
            return false;
        }

        var result = new ManifestFile[count];
        for (var i = 0; i < count; i++)
        {
            var pathIndex = ReadInt32();
            if ((uint)pathIndex >= (uint)pathCount)
            {
                return false;
            }

            var digest = FileDigest.Read(_payload[_position..]);
            _position += FileDigest.Size;
            result[i] = new ManifestFile(pathIndex, digest, ReadStamp());
        }

        files = result;
        return true;
    }

    private bool TryReadProbeDirectories(int pathCount, out ManifestProbeDirectory[] directories)
    {
        directories = [];
        if (!TryReadCount(ManifestFormat.ProbeDirectoryRecordSize, out var count))
        {
            return false;
        }

        var result = new ManifestProbeDirectory[count];
        for (var i = 0; i < count; i++)
        {
            var pathIndex = ReadInt32();
            var exists = _payload[_position++];
            if ((uint)pathIndex >= (uint)pathCount || exists > 1)
            {
                return false;
            }

            result[i] = new ManifestProbeDirectory(pathIndex, exists == 1, ReadStamp());
        }

        directories = result;
        return true;
    }

    private bool TryReadProbes(int pathCount, int directoryCount, out ManifestProbe[] probes)
    {
        probes = [];
        if (!TryReadCount(ManifestFormat.ProbeRecordSize, out var count))
        {
            return false;
        }

        var result = new ManifestProbe[count];
        for (var i = 0; i < count; i++)
        {
            var pathIndex = ReadInt32();
            var directoryIndex = ReadInt32();
            if ((uint)pathIndex >= (uint)pathCount || (uint)directoryIndex >= (uint)directoryCount)
            {
                return false;
            }

            result[i] = new ManifestProbe(pathIndex, directoryIndex);
        }

        probes = result;
        return true;
    }

    private bool TryReadIndices(int tableLength, out int[] indices)
    {
        indices = [];
        if (!TryReadCount(4, out var count))
        {
            return false;
        }

        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            var index = ReadInt32();
            if ((uint)index >= (uint)tableLength)
            {
                return false;
            }

            result[i] = index;
        }

        indices = result;
        return true;
    }

    /// <summary>A non-negative count whose records (each at least <paramref name="minRecordSize"/> bytes) fit in what remains.</summary>
    private bool TryReadCount(int minRecordSize, out int count)
    {
        count = 0;
        if (Remaining < 4)
        {
            return false;
        }

        count = ReadInt32();
        return count >= 0 && count <= Remaining / minRecordSize;
    }

    private bool TryReadString([NotNullWhen(true)] out string? value)
    {
        value = null;
        if (Remaining < 2)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(_payload[_position..]);
        _position += 2;
        if (length > Remaining)
        {
            return false;
        }

        var bytes = _payload.Slice(_position, length);
        if (!Utf8.IsValid(bytes))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(bytes);
        _position += length;
        return true;
    }

    private FileStamp ReadStamp()
    {
        var span = _payload[_position..];
        _position += ManifestFormat.StampSize;
        return new FileStamp(
            BinaryPrimitives.ReadInt64LittleEndian(span),
            BinaryPrimitives.ReadInt64LittleEndian(span[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[24..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[32..]));
    }

    private int ReadInt32()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(_payload[_position..]);
        _position += 4;
        return value;
    }
}
