using System.Buffers.Binary;
using System.Net.Sockets;

namespace SharpCache.Storage.Remote.Memcached;

/// <summary>
/// A Memcached tier speaking the binary protocol over a small connection pool. The binary
/// protocol (rather than text or meta) because it carries SASL PLAIN authentication, which
/// sccache's memcached backend supports, and frames values by length, so values are
/// binary-safe without parsing lines. Values up to the item limit are one item (flags 0, as
/// sccache stores them); larger ones are chunks plus a <see cref="ChunkManifest"/> header item,
/// verified on read: a missing, short or corrupt chunk is a miss.
/// </summary>
public sealed partial class MemcachedStorage : KeyedObjectStorage
{
    /// <summary>Memcached's key length limit.</summary>
    public const int MaxKeyLength = 250;

    /// <summary>Item bytes left for memcached's own item header, the key and the CAS inside the item limit.</summary>
    private const int ItemOverhead = 1024;

    private readonly MemcachedPool _pool;
    private readonly uint _expiration;
    private readonly int _chunkSize;
    private readonly TimeSpan _operationTimeout;

    private MemcachedStorage(MemcachedPool pool, string prefix, uint expiration, int chunkSize, TimeSpan operationTimeout, bool readOnly, string location)
        : base(prefix, readOnly, location)
    {
        _pool = pool;
        _expiration = expiration;
        _chunkSize = chunkSize;
        _operationTimeout = operationTimeout;
    }

    public override string Name => "memcached";

    /// <summary>Builds the tier (no I/O); throws <see cref="ArgumentException"/> for a bad endpoint, prefix or limit.</summary>
    public static MemcachedStorage Create(MemcachedStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (host, port) = ParseEndpoint(options.Endpoint);
        var prefix = RemoteKeyLayout.NormalizePrefix(options.KeyPrefix);
        // <prefix>/a/b/c/<64 hex>:<16 hex>:<index> must fit in 250 bytes.
        const int LongestSuffix = 1 + 6 + 64 + 1 + 16 + 1 + 10;
        if (prefix.Length + LongestSuffix > MaxKeyLength || prefix.Any(c => c is <= ' ' or > '~'))
        {
            throw new ArgumentException($"Memcached: key prefix '{prefix}' must be printable ASCII without spaces and at most {MaxKeyLength - LongestSuffix} characters", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.ExpirationSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxItemSize, 2 * ItemOverhead);
        var expiration = (uint)Math.Min(options.ExpirationSeconds, MemcachedStorageOptions.MaxExpirationSeconds);
        var pool = new MemcachedPool(host, port, options.Username, options.Password, options.PoolSize, options.ConnectTimeout);
        var location = $"tcp://{host}:{port}" + (prefix.Length > 0 ? ", prefix " + prefix : string.Empty);
        return new MemcachedStorage(pool, prefix, expiration, options.MaxItemSize - ItemOverhead, options.OperationTimeout, options.ReadOnly, location);
    }

    public override ValueTask DisposeAsync()
    {
        _pool.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async Task<RemoteReadResult> GetObjectAsync(string objectName, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_operationTimeout);
        try
        {
            return await _pool.RunAsync(c => ReadValueAsync(c, objectName, timeout.Token), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e, timeout.IsCancellationRequested) is { } failure)
        {
            return RemoteErrors.Read(failure.Kind, failure.Reason);
        }
    }

    protected override async Task<RemoteWriteResult> PutObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_operationTimeout);
        try
        {
            return await _pool.RunAsync(c => WriteValueAsync(c, objectName, data, timeout.Token), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e, timeout.IsCancellationRequested) is { } failure)
        {
            return RemoteErrors.Write(failure.Kind, failure.Reason);
        }
    }

    private async Task<BinaryResponse> SetAsync(MemcachedConnection connection, string key, uint flags, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var extras = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(extras, flags);
        BinaryPrimitives.WriteUInt32BigEndian(extras.AsSpan(4), _expiration);
        return await connection.ExecuteAsync(BinaryOpcode.Set, extras, key, value, cancellationToken).ConfigureAwait(false);
    }

    private static Task<BinaryResponse> GetRawAsync(MemcachedConnection connection, string key, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(BinaryOpcode.Get, ReadOnlyMemory<byte>.Empty, key, ReadOnlyMemory<byte>.Empty, cancellationToken);

    private static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var text = (endpoint ?? string.Empty).Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "tcp://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !uri.Scheme.Equals("tcp", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"Memcached: endpoint '{endpoint}' is not tcp://host[:port]", nameof(endpoint));
        }

        return (uri.Host.Trim('[', ']'), uri.Port > 0 ? uri.Port : 11211);
    }

    private static (RemoteFailureKind Kind, string Reason)? Classify(Exception e, bool timedOut) => e switch
    {
        OperationCanceledException when timedOut => (RemoteFailureKind.Timeout, "memcached: operation timed out"),
        TimeoutException => (RemoteFailureKind.Timeout, e.Message),
        MemcachedException m => (m.Kind, m.Message),
        SocketException or IOException or EndOfStreamException or ObjectDisposedException => (RemoteFailureKind.Unreachable, "memcached: " + e.Message),
        _ => null,
    };
}
