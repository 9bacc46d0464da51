using System.Buffers.Binary;
using System.Globalization;

namespace SharpCache.Storage.Remote.Memcached;

/// <summary>
/// The header item of a value stored in chunks (memcached's item size limit). Stored under the
/// value's own key with item flags <see cref="Flags"/>; the chunks live under
/// <c>&lt;key&gt;:&lt;generation&gt;:&lt;index&gt;</c>. The generation is random per write, so a
/// reader never mixes chunks of two writers. Layout (36 bytes, little-endian): magic
/// <c>SCMC</c>, version 1, 3 reserved bytes, chunk count (int32), total length (int64),
/// generation (uint64), XXH64 of the whole value (uint64). Chunks are written before the header.
/// </summary>
internal readonly record struct ChunkManifest(int ChunkCount, long TotalLength, ulong Generation, ulong Checksum)
{
    /// <summary>Item flags of a header item; plain values use 0 (as sccache writes them).</summary>
    public const uint Flags = 0x5343_0001;

    public const int Size = 36;

    private const uint Magic = 0x434D_4353; // "SCMC" read as a little-endian uint32
    private const byte Version = 1;

    public string ChunkKey(string key, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{key}:{Generation:x16}:{index}");

    public byte[] Encode()
    {
        var buffer = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Magic);
        buffer[4] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), ChunkCount);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(12), TotalLength);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(20), Generation);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(28), Checksum);
        return buffer;
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, out ChunkManifest manifest)
    {
        manifest = default;
        if (data.Length != Size || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic || data[4] != Version)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        var total = BinaryPrimitives.ReadInt64LittleEndian(data[12..]);
        if (count < 1 || total < 0 || total > Array.MaxLength)
        {
            return false;
        }

        manifest = new ChunkManifest(count, total, BinaryPrimitives.ReadUInt64LittleEndian(data[20..]), BinaryPrimitives.ReadUInt64LittleEndian(data[28..]));
        return true;
    }
}
