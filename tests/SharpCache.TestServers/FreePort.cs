using System.Net;
using System.Net.Sockets;

namespace SharpCache.TestServers;

/// <summary>
/// A TCP port on 127.0.0.1 that was free a moment ago: bound to port 0, read back, released.
/// Another process may take it before the server binds it; <see cref="ServerProcess"/> retries
/// a start on a fresh port when the server exits early.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
