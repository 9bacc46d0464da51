using System.Collections.Concurrent;

namespace SharpCache.Storage.Remote.Memcached;

/// <summary>
/// A few warm connections to one server: at most <c>size</c> in use at once (callers beyond that
/// wait, bounded by their token); a connection that failed is disposed, not returned.
/// </summary>
internal sealed class MemcachedPool : IDisposable
{
    private readonly ConcurrentStack<MemcachedConnection> _idle = new();
    private readonly SemaphoreSlim _slots;
    private readonly string _host;
    private readonly int _port;
    private readonly string? _username;
    private readonly string? _password;
    private readonly TimeSpan _connectTimeout;
    private bool _disposed;

    public MemcachedPool(string host, int port, string? username, string? password, int size, TimeSpan connectTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _host = host;
        _port = port;
        _username = username;
        _password = password;
        _connectTimeout = connectTimeout;
        _slots = new SemaphoreSlim(size, size);
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection (connecting, with the connect timeout, when none is idle).</summary>
    public async Task<T> RunAsync<T>(Func<MemcachedConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        MemcachedConnection? connection = null;
        var healthy = false;
        try
        {
            if (!_idle.TryPop(out connection))
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connectTimeout.CancelAfter(_connectTimeout);
                try
                {
                    connection = await MemcachedConnection.ConnectAsync(_host, _port, _username, _password, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"memcached: connect to {_host}:{_port} timed out after {_connectTimeout.TotalSeconds:0.#} s");
                }
            }

            var result = await work(connection).ConfigureAwait(false);
            healthy = true;
            return result;
        }
        finally
        {
            if (connection is not null)
            {
                if (healthy && !_disposed)
                {
                    _idle.Push(connection);
                }
                else
                {
                    connection.Dispose();
                }
            }

            _slots.Release();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryPop(out var connection))
        {
            connection.Dispose();
        }
    }
}
