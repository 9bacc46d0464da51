namespace SharpCache.Storage.Disk;

/// <summary>Bytes and entry files held by a disk cache (or one of its shards).</summary>
public readonly record struct DiskUsage(long SizeBytes, long Files)
{
    public static DiskUsage operator +(DiskUsage left, DiskUsage right) =>
        new(left.SizeBytes + right.SizeBytes, left.Files + right.Files);
}
