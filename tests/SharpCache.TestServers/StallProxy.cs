using System.Net.Sockets;

namespace SharpCache.TestServers;

/// <summary>
/// A TCP listener on 127.0.0.1 that accepts every connection and never reads or answers: the
/// "server hangs" fault. Connects succeed, every request then waits forever, so a client's
/// operation timeout is what ends it. Dispose closes the listener and every held connection.
/// </summary>
public sealed class StallProxy : LoopbackListener
{
    private int _accepted;

    private StallProxy() => StartAccepting();

    /// <summary>Connections accepted so far.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public static StallProxy Start() => new();

    protected override void OnAccepted(Socket socket) => Interlocked.Increment(ref _accepted);
}
