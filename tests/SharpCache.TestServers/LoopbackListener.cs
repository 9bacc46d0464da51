using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SharpCache.TestServers;

/// <summary>
/// A TCP listener on 127.0.0.1 with a free port that hands every accepted connection to
/// <see cref="OnAccepted"/>; the fault proxies (<see cref="StallProxy"/>, <see cref="CutProxy"/>) derive from it.
/// Dispose stops accepting and closes every socket registered with <see cref="Track"/>.
/// </summary>
public abstract class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentBag<Socket> _sockets = [];
    private Task _acceptLoop = Task.CompletedTask;

    protected LoopbackListener()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    public static string Host => "127.0.0.1";

    /// <summary>Cancelled when the listener is disposed.</summary>
    protected CancellationTokenSource Stopping { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        Stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts accepting; called by the derived constructor once its fields are set.</summary>
    protected void StartAccepting() => _acceptLoop = AcceptLoopAsync();

    /// <summary>Closes <paramref name="socket"/> when the listener is disposed.</summary>
    protected void Track(Socket socket) => _sockets.Add(socket);

    /// <summary>A new connection (already tracked).</summary>
    protected abstract void OnAccepted(Socket socket);

    private async Task AcceptLoopAsync()
    {
        while (!Stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(Stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            Track(socket);
            OnAccepted(socket);
        }
    }
}
