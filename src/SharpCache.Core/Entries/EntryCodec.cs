namespace SharpCache.Core.Entries;

/// <summary>Serialises entries to the self-describing on-disk format (magic, version, compression, length, checksum).</summary>
public static class EntryCodec
{
    public const int DefaultZstdLevel = 3;

    public static byte[] Encode(CacheEntry entry, int zstdLevel = DefaultZstdLevel)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _ = zstdLevel;
        throw new NotImplementedException();
    }

    public static EntryDecodeResult Decode(ReadOnlySpan<byte> data)
    {
        _ = data;
        return new EntryDecodeResult.Corrupt("not implemented");
    }
}
