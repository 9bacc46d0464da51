using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace SharpCache.Core.Entries;

/// <summary>
/// Parses a verified payload. Fields are slices of the payload array (no copies). Every length is
/// checked against what remains, so a bad length is a parse failure, never an exception.
/// </summary>
internal static class EntryPayloadReader
{
    public static bool Parse(byte[] payload, [NotNullWhen(true)] out CacheEntry? entry, [NotNullWhen(false)] out string? reason)
    {
        entry = null;
        var position = 0;
        if (!TryReadBlob(payload, ref position, out var stdout) || !TryReadBlob(payload, ref position, out var stderr))
        {
            reason = "payload truncated in stdout/stderr";
            return false;
        }

        if (!TryReadInt32(payload, ref position, out var count) || count < 0)
        {
            reason = "bad file count";
            return false;
        }

        // Each file needs at least 14 bytes of fields; this bounds the list's capacity.
        if (count > (payload.Length - position) / 14)
        {
            reason = $"file count {count} exceeds the payload";
            return false;
        }

        var files = new EntryFile[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadFile(payload, ref position, out var file))
            {
                reason = $"payload truncated in file {i}";
                return false;
            }

            files[i] = file;
        }

        if (position != payload.Length)
        {
            reason = $"{payload.Length - position} trailing payload bytes";
            return false;
        }

        entry = new CacheEntry { Files = files, Stdout = stdout, Stderr = stderr };
        reason = null;
        return true;
    }

    private static bool TryReadFile(byte[] payload, ref int position, [NotNullWhen(true)] out EntryFile? file)
    {
        file = null;
        if (payload.Length - position < 2)
        {
            return false;
        }

        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(position));
        position += 2;
        if (payload.Length - position < nameLength + 12)
        {
            return false;
        }

        var nameBytes = payload.AsSpan(position, nameLength);
        if (!Utf8.IsValid(nameBytes))
        {
            return false;
        }

        var name = Encoding.UTF8.GetString(nameBytes);
        position += nameLength;
        var mode = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(position));
        position += 4;
        var length = BinaryPrimitives.ReadInt64LittleEndian(payload.AsSpan(position));
        position += 8;
        if (length < 0 || length > payload.Length - position)
        {
            return false;
        }

        file = new EntryFile(name, mode, payload.AsMemory(position, (int)length));
        position += (int)length;
        return true;
    }

    private static bool TryReadBlob(byte[] payload, ref int position, out ReadOnlyMemory<byte> blob)
    {
        blob = default;
        if (!TryReadInt32(payload, ref position, out var length) || length < 0 || length > payload.Length - position)
        {
            return false;
        }

        blob = payload.AsMemory(position, length);
        position += length;
        return true;
    }

    private static bool TryReadInt32(byte[] payload, ref int position, out int value)
    {
        value = 0;
        if (payload.Length - position < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(position));
        position += 4;
        return true;
    }
}
