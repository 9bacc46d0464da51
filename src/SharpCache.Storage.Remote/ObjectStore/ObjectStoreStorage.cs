namespace SharpCache.Storage.Remote.ObjectStore;

/// <summary>
/// The get/put/check logic shared by the object store tiers (S3, GCS, Azure Blob): objects at
/// <c>&lt;prefix&gt;/&lt;k0&gt;/&lt;k1&gt;/&lt;k2&gt;/&lt;key&gt;</c> (<see cref="RemoteKeyLayout"/>). A missing
/// object is a miss; every other failure is an error result (never an exception), classified by
/// <see cref="Classify"/>. A write forbidden for lack of permission reads as a read-only tier; a
/// configured read-only tier never writes (its check only reads).
/// </summary>
public abstract class ObjectStoreStorage : IRemoteStorage
{
    /// <param name="keyPrefix">The configured key prefix (normalized here).</param>
    /// <param name="readOnly">Configured read-only: <see cref="PutAsync"/> never writes.</param>
    protected ObjectStoreStorage(string? keyPrefix, bool readOnly)
    {
        Prefix = RemoteKeyLayout.NormalizePrefix(keyPrefix);
        IsReadOnly = readOnly;
    }

    public abstract string Name { get; }

    public abstract string Location { get; }

    public bool IsReadOnly { get; }

    /// <summary>The normalized key prefix (empty, or without a trailing slash).</summary>
    protected string Prefix { get; }

    public async Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var data = await ReadObjectAsync(RemoteKeyLayout.ObjectPath(Prefix, key), cancellationToken).ConfigureAwait(false);
            return data is null ? RemoteReadResult.Miss.Instance : new RemoteReadResult.Hit(data);
        }
        catch (Exception e)
        {
            var failure = Classify(e, cancellationToken);
            return new RemoteReadResult.Error(failure.Reason) { Kind = failure.RemoteKind };
        }
    }

    public async Task<RemoteWriteResult> PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (IsReadOnly)
        {
            return RemoteWriteResult.ReadOnly.Instance;
        }

        try
        {
            await WriteObjectAsync(RemoteKeyLayout.ObjectPath(Prefix, key), data, cancellationToken).ConfigureAwait(false);
            return RemoteWriteResult.Written.Instance;
        }
        catch (Exception e)
        {
            var failure = Classify(e, cancellationToken);
            return failure.Kind switch
            {
                ObjectStoreFailureKind.Forbidden => RemoteWriteResult.ReadOnly.Instance,
                ObjectStoreFailureKind.TooLarge => RemoteWriteResult.TooLarge.Instance,
                _ => new RemoteWriteResult.Error(failure.Reason) { Kind = failure.RemoteKind },
            };
        }
    }

    public async Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var path = RemoteKeyLayout.CheckPath(Prefix);
        if (!IsReadOnly)
        {
            try
            {
                await WriteObjectAsync(path, RemoteCheck.Content, cancellationToken).ConfigureAwait(false);
                await ReadObjectAsync(path, cancellationToken).ConfigureAwait(false);
                return new RemoteCheckResult(RemoteCheckStatus.ReadWrite);
            }
            catch (Exception e)
            {
                var failure = Classify(e, cancellationToken);
                if (failure.Kind != ObjectStoreFailureKind.Forbidden)
                {
                    return ToCheckResult(failure);
                }

                // Write refused for lack of permission: read-only if reads work (below).
            }
        }

        try
        {
            await ReadObjectAsync(path, cancellationToken).ConfigureAwait(false);
            return new RemoteCheckResult(RemoteCheckStatus.ReadOnly, IsReadOnly ? null : "writes are forbidden");
        }
        catch (Exception e)
        {
            return ToCheckResult(Classify(e, cancellationToken));
        }
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>The object's bytes, or null when it does not exist. Other failures throw (classified by <see cref="Classify"/>).</summary>
    protected abstract Task<byte[]?> ReadObjectAsync(string objectName, CancellationToken cancellationToken);

    /// <summary>Writes (or overwrites) the object. Failures throw (classified by <see cref="Classify"/>).</summary>
    protected abstract Task WriteObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Classifies an exception thrown by <see cref="ReadObjectAsync"/> or <see cref="WriteObjectAsync"/>
    /// (usually through <see cref="ObjectStoreFailure.Classify"/>); never throws.
    /// </summary>
    protected abstract ObjectStoreFailure Classify(Exception exception, CancellationToken cancellationToken);

    private static RemoteCheckResult ToCheckResult(ObjectStoreFailure failure) => failure.Kind switch
    {
        ObjectStoreFailureKind.Unauthorized or ObjectStoreFailureKind.Forbidden => new(RemoteCheckStatus.Unauthorized, failure.Reason),
        _ => new(RemoteCheckStatus.Unreachable, failure.Reason),
    };
}
