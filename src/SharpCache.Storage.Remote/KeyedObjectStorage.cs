namespace SharpCache.Storage.Remote;

/// <summary>
/// The part the key-value tiers (Redis, Memcached, WebDAV) share: keys laid out as object names under the
/// prefix (<see cref="RemoteKeyLayout"/>), read-only puts refused without I/O, and sccache's check object.
/// A backend supplies only reading and writing one named object.
/// </summary>
public abstract class KeyedObjectStorage : IRemoteStorage
{
    protected KeyedObjectStorage(string prefix, bool readOnly, string location)
    {
        Prefix = prefix;
        IsReadOnly = readOnly;
        Location = location;
    }

    public abstract string Name { get; }

    public string Location { get; }

    public bool IsReadOnly { get; }

    /// <summary>The normalized key prefix (no leading or trailing slash).</summary>
    protected string Prefix { get; }

    public Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return GetObjectAsync(RemoteKeyLayout.ObjectPath(Prefix, key), cancellationToken);
    }

    public Task<RemoteWriteResult> PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return IsReadOnly
            ? Task.FromResult<RemoteWriteResult>(RemoteWriteResult.ReadOnly.Instance)
            : PutObjectAsync(RemoteKeyLayout.ObjectPath(Prefix, key), data, cancellationToken);
    }

    public Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var path = RemoteKeyLayout.CheckPath(Prefix);
        return RemoteCheck.RunAsync(IsReadOnly, ct => GetObjectAsync(path, ct), ct => PutObjectAsync(path, RemoteCheck.Content, ct), cancellationToken);
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>Reads one object; a missing one is a miss. Never throws for I/O.</summary>
    protected abstract Task<RemoteReadResult> GetObjectAsync(string objectName, CancellationToken cancellationToken);

    /// <summary>Writes one object (never called on a read-only tier by the puts above). Never throws for I/O.</summary>
    protected abstract Task<RemoteWriteResult> PutObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
