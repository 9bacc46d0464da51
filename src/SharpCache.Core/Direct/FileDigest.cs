using System.Buffers.Binary;

namespace SharpCache.Core.Direct;

/// <summary>A 32-byte BLAKE3 digest of a file's content, held as four words for cheap equality.</summary>
internal readonly record struct FileDigest(ulong W0, ulong W1, ulong W2, ulong W3)
{
    public const int Size = 32;

    public static FileDigest Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, W0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], W1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], W2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], W3);
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
