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

    /// <summary>
    /// The result keys a direct-mode manifest points to, newest first, at most <paramref name="max"/>;
    /// empty for anything that is not a valid manifest. The daemon uses it to send a manifest's
    /// entries along with it, saving the client a second round trip.
    /// </summary>
    public static IReadOnlyList<string> ManifestResultKeys(ReadOnlySpan<byte> data, int max)
    {
        if (data.Length < 4 || !data[..4].SequenceEqual(ManifestFormat.Magic) || ManifestCodec.Decode(data) is not { } manifest)
        {
            return [];
        }

        return [.. manifest.Entries.Take(max).Select(e => e.ResultKey).Distinct(StringComparer.Ordinal)];
    }
}
