using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SharpCache.Protocol;

/// <summary>
/// Primitive encoders for payloads: integers big-endian, strings as u32 length + UTF-8,
/// nullable values with a one-byte presence flag. Hand-written (no reflection) for NativeAOT.
/// </summary>
public static class PayloadWriter
{
    public static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public static void WriteBool(IBufferWriter<byte> output, bool value) => WriteByte(output, value ? (byte)1 : (byte)0);

    public static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        ArgumentNullException.ThrowIfNull(output);
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public static void WriteUInt32(IBufferWriter<byte> output, uint value)
    {
        ArgumentNullException.ThrowIfNull(output);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public static void WriteNullableInt64(IBufferWriter<byte> output, long? value)
    {
        WriteBool(output, value.HasValue);
        if (value.HasValue)
        {
            WriteInt64(output, value.Value);
        }
    }

    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteUInt32(output, (uint)byteCount);
        var written = Encoding.UTF8.GetBytes(value, output.GetSpan(byteCount));
        output.Advance(written);
    }

    public static void WriteNullableString(IBufferWriter<byte> output, string? value)
    {
        WriteBool(output, value is not null);
        if (value is not null)
        {
            WriteString(output, value);
        }
    }

    /// <summary>Writes a string-to-count map as u32 count + (string, i64) pairs in ordinal key order.</summary>
    public static void WriteCounts(IBufferWriter<byte> output, IReadOnlyDictionary<string, long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        WriteUInt32(output, (uint)counts.Count);
        foreach (var pair in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            WriteString(output, pair.Key);
            WriteInt64(output, pair.Value);
        }
    }

    /// <summary>A u32 big-endian length, then the bytes.</summary>
    public static void WriteBlob(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteUInt32(output, (uint)data.Length);
        output.Write(data);
    }
}
