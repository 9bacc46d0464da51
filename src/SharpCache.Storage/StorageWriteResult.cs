namespace SharpCache.Storage;

/// <summary>Result of a storage write. Failures are counted, never fatal to the compile.</summary>
public enum StorageWriteResult
{
    Written,
    TooLarge,
    Failed,
}
