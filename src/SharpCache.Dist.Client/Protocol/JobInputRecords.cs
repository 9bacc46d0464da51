using System.Buffers.Binary;
using System.Text;

namespace SharpCache.Dist.Protocol;

/// <summary>
/// The inputs of a streamed run_job request (<see cref="DistRoutes.StreamedMediaType"/>), after its command frame: records,
/// each a kind byte and its fields (big-endian). <see cref="File"/> (u16 length, UTF-8 absolute path) begins a file; each
/// <see cref="Data"/> (u32 length, bytes) appends to the file begun last; <see cref="End"/> ends the inputs, and nothing may
/// follow it. Unlike a tar archive, no size is needed before the bytes: the client sends a unit's text as its preprocessor
/// writes it, and the build server writes it into the job's tree as it comes. A body that ends without <see cref="End"/>
/// is a job given up (the unit was a cache hit after all, or the client went away): it does not run.
/// </summary>
public static class JobInputRecords
{
    public const byte End = 0;
    public const byte File = 1;
    public const byte Data = 2;

    /// <summary>Longest path accepted, in UTF-8 bytes (Linux's PATH_MAX).</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>Largest <see cref="Data"/> record accepted: longer contents come in several.</summary>
    public const int MaxDataLength = 16 << 20;

    /// <summary>Size of a <see cref="Data"/> record's header.</summary>
    public const int DataHeaderLength = 5;

    /// <summary>A <see cref="File"/> record for <paramref name="path"/>.</summary>
    public static byte[] FileRecord(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var length = Encoding.UTF8.GetByteCount(path);
        if (length is 0 or > MaxPathBytes)
        {
            throw new ArgumentException($"an input path must have 1 to {MaxPathBytes} bytes", nameof(path));
        }

        var record = new byte[3 + length];
        record[0] = File;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), (ushort)length);
        Encoding.UTF8.GetBytes(path, record.AsSpan(3));
        return record;
    }

    /// <summary>Writes the header of a <see cref="Data"/> record of <paramref name="length"/> bytes.</summary>
    public static void WriteDataHeader(Span<byte> destination, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxDataLength);
        destination[0] = Data;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }
}
