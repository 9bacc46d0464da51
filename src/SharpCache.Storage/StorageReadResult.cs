namespace SharpCache.Storage;

/// <summary>Result of a storage read: hit, miss, or error (treated as a miss by callers, and counted).</summary>
public abstract record StorageReadResult
{
    private StorageReadResult()
    {
    }

    public sealed record Hit(byte[] Data) : StorageReadResult;

    public sealed record Miss : StorageReadResult
    {
        public static Miss Instance { get; } = new();
    }

    public sealed record Error(string Reason) : StorageReadResult;
}
