using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SharpCache.TestServers;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of <c>127.0.0.1:targetPort</c> that forwards both ways until a
/// connection has carried <see cref="CutAfterBytes"/> bytes from the client, then resets both sides: the
/// "upload cut off" fault. Requests smaller than that pass untouched. Dispose stops it and closes
/// every connection.
/// </summary>
public sealed class CutProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private int _cuts;

    private CutProxy(int targetPort, long cutAfterBytes)
    {
        _targetPort = targetPort;
        CutAfterBytes = cutAfterBytes;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Client-to-server bytes one connection may carry before it is cut.</summary>
    public long CutAfterBytes { get; }

    /// <summary>Connections cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    public static CutProxy Start(int targetPort, long cutAfterBytes) => new(targetPort, cutAfterBytes);

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

        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _sockets.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets.Add(server);
        try
        {
            await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), _stop.Token).ConfigureAwait(false);
            var upload = PumpAsync(client, server, CutAfterBytes);
            var download = PumpAsync(server, client, long.MaxValue);
            var first = await Task.WhenAny(upload, download).ConfigureAwait(false);
            if (first == upload && await upload.ConfigureAwait(false))
            {
                Interlocked.Increment(ref _cuts);
                Reset(client);
                Reset(server);
                return;
            }

            await Task.WhenAll(upload, download).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Either side went away, or the proxy is stopping.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>; true when it stopped because the limit was reached.</summary>
    private async Task<bool> PumpAsync(Socket from, Socket to, long limit)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - total)), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return false;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                total += read;
                if (total >= limit)
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
