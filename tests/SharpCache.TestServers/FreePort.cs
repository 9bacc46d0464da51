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

    /// <summary>A free port P below 55536 whose P + <paramref name="offset"/> is free too (Redis cluster nodes also bind P + 10000).</summary>
    public static int NextWithSibling(int offset)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Next();
            if (port + offset > 65535)
            {
                continue;
            }

            try
            {
                using var sibling = new TcpListener(IPAddress.Loopback, port + offset);
                sibling.Start();
                sibling.Stop();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException($"no free port pair (P, P + {offset}) found on 127.0.0.1");
    }
}
