using System.Net;
using System.Net.Sockets;

namespace SharpCache.TestServers;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of <c>127.0.0.1:targetPort</c> that forwards both ways until a
/// connection has carried <see cref="CutAfterBytes"/> bytes from the client, then resets both sides: the
/// "upload cut off" fault. Requests smaller than that pass untouched. Dispose stops it and closes
/// every connection.
/// </summary>
public sealed class CutProxy : LoopbackListener
{
    private readonly int _targetPort;
    private int _cuts;

    private CutProxy(int targetPort, long cutAfterBytes)
    {
        _targetPort = targetPort;
        CutAfterBytes = cutAfterBytes;
        StartAccepting();
    }

    /// <summary>Client-to-server bytes one connection may carry before it is cut.</summary>
    public long CutAfterBytes { get; }

    /// <summary>Connections cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    public static CutProxy Start(int targetPort, long cutAfterBytes) => new(targetPort, cutAfterBytes);

    protected override void OnAccepted(Socket socket) => _ = Task.Run(() => ServeAsync(socket));

    private async Task ServeAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Track(server);
        try
        {
            await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), Stopping.Token).ConfigureAwait(false);
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
                var read = await from.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - total)), SocketFlags.None, Stopping.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return false;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, Stopping.Token).ConfigureAwait(false);
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
