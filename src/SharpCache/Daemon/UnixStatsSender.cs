using System.Runtime.InteropServices;
using System.Text;

namespace SharpCache.Daemon;

/// <summary>
/// The hit path's one message to the daemon, sent with plain libc calls. A .NET <c>Socket</c>,
/// even used synchronously, starts the runtime's socket-engine thread and probes the network
/// stack: about half a millisecond that a cache hit cannot afford.
/// </summary>
internal static class UnixStatsSender
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoSndTimeo = 21;
    private const int MsgNoSignal = 0x4000;
    private const int ENoEnt = 2;
    private const int EConnRefused = 111;
    private const int SunPathLength = 108;

    /// <summary>Outcome of one attempt.</summary>
    internal enum Result
    {
        Sent,

        /// <summary>No daemon listens on the path (no file, or refused): the caller may start one.</summary>
        NotRunning,

        /// <summary>A daemon exists but did not take the message in time (or another error): give up.</summary>
        Failed,

        /// <summary>The path does not fit a <c>sockaddr_un</c>: use the runtime's sockets.</summary>
        Unsupported,
    }

    public static unsafe Result TrySend(string socketPath, ReadOnlySpan<byte> frame, TimeSpan timeout)
    {
        Span<byte> address = stackalloc byte[2 + SunPathLength];
        address.Clear();
        address[0] = AfUnix;
        var pathLength = Encoding.UTF8.GetByteCount(socketPath);
        if (pathLength >= SunPathLength)
        {
            return Result.Unsupported;
        }

        Encoding.UTF8.GetBytes(socketPath, address[2..]);
        var fd = NativeMethods.Socket(AfUnix, SockStream | SockCloexec, 0);
        if (fd < 0)
        {
            return Result.Failed;
        }

        try
        {
            // SO_SNDTIMEO bounds both a blocking connect (full backlog) and the send on Linux.
            Span<long> timeval = [(long)timeout.TotalSeconds, (long)(timeout.TotalMicroseconds % 1_000_000)];
            fixed (long* tv = timeval)
            {
                _ = NativeMethods.SetSockOpt(fd, SolSocket, SoSndTimeo, (byte*)tv, sizeof(long) * 2);
            }

            fixed (byte* addr = address)
            {
                if (NativeMethods.Connect(fd, addr, 2 + pathLength + 1) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    return errno is ENoEnt or EConnRefused ? Result.NotRunning : Result.Failed;
                }
            }

            fixed (byte* data = frame)
            {
                nint sent = 0;
                while (sent < frame.Length)
                {
                    var n = NativeMethods.Send(fd, data + sent, frame.Length - sent, MsgNoSignal);
                    if (n <= 0)
                    {
                        return Result.Failed;
                    }

                    sent += n;
                }
            }

            return Result.Sent;
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }
}
