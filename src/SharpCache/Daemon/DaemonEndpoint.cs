using System.Net;
using System.Net.Sockets;
using SharpCache.Configuration;

namespace SharpCache.Daemon;

/// <summary>Where the daemon listens: the Unix socket, or loopback TCP when <c>SCCACHE_SERVER_PORT</c> is set.</summary>
internal static class DaemonEndpoint
{
    public static bool UsesTcp(SharpCacheOptions options) => options.ServerPort is not null;

    public static EndPoint Create(SharpCacheOptions options) => options.ServerPort is { } port
        ? new IPEndPoint(IPAddress.Loopback, port)
        : new UnixDomainSocketEndPoint(options.ServerSocketPath);

    public static Socket CreateSocket(SharpCacheOptions options) => options.ServerPort is not null
        ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
        : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    /// <summary>A human-readable address for messages.</summary>
    public static string Describe(SharpCacheOptions options) => options.ServerPort is { } port
        ? "127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : options.ServerSocketPath;
}
