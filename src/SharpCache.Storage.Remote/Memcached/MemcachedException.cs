namespace SharpCache.Storage.Remote.Memcached;

/// <summary>A protocol-level failure of one connection (bad magic, SASL refused, ...): the connection is dropped and the call returns an error.</summary>
internal sealed class MemcachedException : Exception
{
    public MemcachedException()
    {
    }

    public MemcachedException(string message)
        : base(message)
    {
    }

    public MemcachedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MemcachedException(RemoteFailureKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public RemoteFailureKind Kind { get; } = RemoteFailureKind.Protocol;
}
