namespace SharpCache.Storage.Disk;

/// <summary>One entry file seen by a shard scan: what eviction needs to order and account it.</summary>
internal readonly record struct DiskEntryInfo(string Path, long Length, DateTime LastWriteUtc);
