namespace SharpCache.Storage.Remote;

/// <summary>
/// One remote tier (Redis, Memcached, S3, WebDAV, Azure, GCS, ...), held by the daemon with warm
/// connections. Keys are opaque strings (64 lowercase hex characters); each backend lays them out
/// with <see cref="RemoteKeyLayout"/> under its key prefix. Values are opaque bytes (entries and
/// manifests, each with its own checksummed header: the caller validates, storage does not).
/// Implementations never throw for I/O, protocol or auth failures: they return an error result
/// with a reason fit for a log line. They honour the cancellation token (the caller's timeout).
/// </summary>
public interface IRemoteStorage : IAsyncDisposable
{
    /// <summary>Backend name as in <c>SCCACHE_MULTILEVEL_CHAIN</c>: <c>redis</c>, <c>memcached</c>, <c>s3</c>, <c>webdav</c>, <c>azure</c>, <c>gcs</c>, <c>gha</c>.</summary>
    string Name { get; }

    /// <summary>Where, for <c>-s</c> ("Cache location"): e.g. <c>redis://127.0.0.1:6379/0, prefix sharp/</c>. Never contains a password or token.</summary>
    string Location { get; }

    /// <summary>Configured <c>rw_mode = READ_ONLY</c> (or GCS's default): <see cref="PutAsync"/> must not write.</summary>
    bool IsReadOnly { get; }

    Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken);

    Task<RemoteWriteResult> PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Connects and checks access once (daemon start, and when a circuit breaker half-opens):
    /// sccache writes and reads back a <c>.sccache_check</c> object; a read-only tier only reads.
    /// </summary>
    Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>Result of a remote read.</summary>
public abstract record RemoteReadResult
{
    private RemoteReadResult()
    {
    }

    public sealed record Hit(byte[] Data) : RemoteReadResult;

    public sealed record Miss : RemoteReadResult
    {
        public static Miss Instance { get; } = new();
    }

    /// <summary>Network, auth, protocol or timeout failure: counted, treated as a miss.</summary>
    public sealed record Error(string Reason) : RemoteReadResult
    {
        /// <summary>What kind of failure, for counting and for <see cref="IRemoteStorage.CheckAsync"/>; <see cref="RemoteFailureKind.Other"/> when the backend does not say.</summary>
        public RemoteFailureKind Kind { get; init; }
    }
}

/// <summary>Result of a remote write.</summary>
public abstract record RemoteWriteResult
{
    private RemoteWriteResult()
    {
    }

    public sealed record Written : RemoteWriteResult
    {
        public static Written Instance { get; } = new();
    }

    /// <summary>The tier is read-only (configured, or the server refused the write for lack of permission).</summary>
    public sealed record ReadOnly : RemoteWriteResult
    {
        public static ReadOnly Instance { get; } = new();
    }

    /// <summary>The value is over what the backend takes.</summary>
    public sealed record TooLarge : RemoteWriteResult
    {
        public static TooLarge Instance { get; } = new();
    }

    public sealed record Error(string Reason) : RemoteWriteResult
    {
        /// <summary>What kind of failure, for counting and for <see cref="IRemoteStorage.CheckAsync"/>; <see cref="RemoteFailureKind.Other"/> when the backend does not say.</summary>
        public RemoteFailureKind Kind { get; init; }
    }
}

/// <summary>Outcome of <see cref="IRemoteStorage.CheckAsync"/>.</summary>
public enum RemoteCheckStatus
{
    ReadWrite,
    ReadOnly,
    Unreachable,
    Unauthorized,
}

public sealed record RemoteCheckResult(RemoteCheckStatus Status, string? Reason = null);
