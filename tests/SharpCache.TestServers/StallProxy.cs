using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SharpCache.TestServers;

/// <summary>
/// A TCP listener on 127.0.0.1 that accepts every connection and never reads or answers: the
/// "server hangs" fault. Connects succeed, every request then waits forever, so a client's
/// operation timeout is what ends it. Dispose closes the listener and every held connection.
/// </summary>
public sealed class StallProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentBag<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    private StallProxy()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public static string Host => "127.0.0.1";

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public static StallProxy Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var socket in _held)
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                _held.Add(socket);
                Interlocked.Increment(ref _accepted);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
        }
    }
}
