using SharpCache.Core.Direct;
using SharpCache.Core.Entries;

namespace SharpCache.Core.Formats;

/// <summary>
/// A structural check of a stored object (cache entry or manifest) without decompressing it: the
/// header is one of ours, of a version we read, and the byte count matches. The daemon applies it
/// to every remote read, so a truncated or foreign object is a miss and is never back-filled;
/// the payload checksum is verified by the client when it decodes the object.
/// </summary>
public static class StoredBlob
{
    public static bool LooksValid(ReadOnlySpan<byte> data) =>
        BlobHeader.TryRead(data, EntryFormat.Magic, EntryFormat.Version, EntryFormat.MaxPayloadLength, out _) is null
        || BlobHeader.TryRead(data, ManifestFormat.Magic, ManifestFormat.Version, ManifestFormat.MaxPayloadLength, out _) is null;
}
