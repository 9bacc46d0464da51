using System.Runtime.InteropServices;
using System.Text;
using SharpCache.Protocol;

namespace SharpCache.Daemon;

/// <summary>
/// The compile path's messages to the daemon, sent with plain libc calls. A .NET <c>Socket</c>,
/// even used synchronously, starts the runtime's socket-engine thread and probes the network
/// stack: about half a millisecond that a cache hit cannot afford. Every call is bounded by
/// SO_SNDTIMEO (connect and send) and SO_RCVTIMEO (each receive).
/// </summary>
internal static class UnixSocketClient
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20;
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

        /// <summary>A daemon exists but did not take (or answer) the message in time, or another error: give up.</summary>
        Failed,

        /// <summary>The path does not fit a <c>sockaddr_un</c>: use the runtime's sockets.</summary>
        Unsupported,

        /// <summary>Connected, but the daemon did not take or answer the message within the timeout: it is hung.</summary>
        TimedOut,
    }

    private const int EAgain = 11;

    /// <summary>A signal (SIGCHLD of the daemon this client just launched) interrupted the call: call again.</summary>
    private const int EIntr = 4;

    /// <summary>Sends one frame and closes (fire-and-forget messages).</summary>
    public static Result TrySend(string socketPath, ReadOnlySpan<byte> frame, TimeSpan timeout)
    {
        var result = TryConnect(socketPath, timeout, out var fd);
        if (result != Result.Sent)
        {
            return result;
        }

        try
        {
            return SendAll(fd, frame) ? Result.Sent : FailureKind();
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>
    /// Sends one frame and reads one response frame (body = version + type + payload), bounded by
    /// <paramref name="timeout"/> per receive and <paramref name="maxBodyLength"/> in size.
    /// </summary>
    public static Result TryExchange(string socketPath, ReadOnlySpan<byte> frame, TimeSpan timeout, int maxBodyLength, out byte[]? body)
    {
        body = null;
        var result = TryConnect(socketPath, timeout, out var fd);
        if (result != Result.Sent)
        {
            return result;
        }

        try
        {
            return ExchangeOn(fd, frame, timeout, maxBodyLength, out body);
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>
    /// Opens a connection that carries several frames (<see cref="TrySendOn"/>, then <see cref="ExchangeOn"/>); the caller
    /// closes <paramref name="fd"/> with <see cref="Close"/>.
    /// </summary>
    public static Result TryOpen(string socketPath, TimeSpan timeout, out int fd) => TryConnect(socketPath, timeout, out fd);

    /// <summary>Sends one frame on an open connection, no answer awaited.</summary>
    public static Result TrySendOn(int fd, ReadOnlySpan<byte> frame) => SendAll(fd, frame) ? Result.Sent : FailureKind();

    /// <summary>One request/response exchange on an open connection (see <see cref="TryExchange"/>); <paramref name="afterSend"/> runs while the answer is awaited.</summary>
    public static Result ExchangeOn(int fd, ReadOnlySpan<byte> frame, TimeSpan timeout, int maxBodyLength, out byte[]? body, Action? afterSend = null)
    {
        body = null;
        SetTimeout(fd, SoSndTimeo, timeout);
        SetTimeout(fd, SoRcvTimeo, timeout);
        if (!SendAll(fd, frame))
        {
            return FailureKind();
        }

        afterSend?.Invoke();
        return ReceiveOn(fd, maxBodyLength, out body);
    }

    /// <summary>Reads the next frame on an open connection, waiting at most <paramref name="timeout"/>.</summary>
    public static Result ReceiveOn(int fd, TimeSpan timeout, int maxBodyLength, out byte[]? body)
    {
        SetTimeout(fd, SoRcvTimeo, timeout);
        return ReceiveOn(fd, maxBodyLength, out body);
    }

    /// <summary>Reads the next frame on an open connection (under the timeout the last <see cref="ExchangeOn"/> set).</summary>
    private static Result ReceiveOn(int fd, int maxBodyLength, out byte[]? body)
    {
        body = null;
        Span<byte> prefix = stackalloc byte[FrameFormat.PrefixLength];
        if (!ReceiveExactly(fd, prefix))
        {
            return FailureKind();
        }

        if (FrameCodec.ReadLength(prefix, maxBodyLength, out var length) != FrameLengthStatus.Ok)
        {
            return Result.Failed;
        }

        var buffer = GC.AllocateUninitializedArray<byte>(length);
        if (!ReceiveExactly(fd, buffer))
        {
            return FailureKind();
        }

        body = buffer;
        return Result.Sent;
    }

    public static void Close(int fd) => _ = NativeMethods.Close(fd);

    /// <summary>After a failed send/receive: a timeout (errno EAGAIN under SO_SNDTIMEO/SO_RCVTIMEO) means a hung daemon; EOF or a reset means it went away.</summary>
    private static Result FailureKind() => Marshal.GetLastPInvokeError() == EAgain ? Result.TimedOut : Result.Failed;

    private static unsafe Result TryConnect(string socketPath, TimeSpan timeout, out int fd)
    {
        fd = -1;
        Span<byte> address = stackalloc byte[2 + SunPathLength];
        address.Clear();
        address[0] = AfUnix;
        var pathLength = Encoding.UTF8.GetByteCount(socketPath);
        if (pathLength >= SunPathLength)
        {
            return Result.Unsupported;
        }

        Encoding.UTF8.GetBytes(socketPath, address[2..]);
        var socket = NativeMethods.Socket(AfUnix, SockStream | SockCloexec, 0);
        if (socket < 0)
        {
            return Result.Failed;
        }

        // SO_SNDTIMEO bounds both a blocking connect (full backlog) and the send on Linux.
        SetTimeout(socket, SoSndTimeo, timeout);
        fixed (byte* addr = address)
        {
            if (NativeMethods.Connect(socket, addr, 2 + pathLength + 1) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                _ = NativeMethods.Close(socket);
                return errno is ENoEnt or EConnRefused ? Result.NotRunning : Result.Failed;
            }
        }

        fd = socket;
        return Result.Sent;
    }

    private static unsafe void SetTimeout(int fd, int option, TimeSpan timeout)
    {
        Span<long> timeval = [(long)timeout.TotalSeconds, (long)(timeout.TotalMicroseconds % 1_000_000)];
        fixed (long* tv = timeval)
        {
            _ = NativeMethods.SetSockOpt(fd, SolSocket, option, (byte*)tv, sizeof(long) * 2);
        }
    }

    private static unsafe bool SendAll(int fd, ReadOnlySpan<byte> frame)
    {
        fixed (byte* data = frame)
        {
            nint sent = 0;
            while (sent < frame.Length)
            {
                var n = NativeMethods.Send(fd, data + sent, frame.Length - sent, MsgNoSignal);
                if (n < 0 && Marshal.GetLastPInvokeError() == EIntr)
                {
                    continue;
                }

                if (n <= 0)
                {
                    return false;
                }

                sent += n;
            }
        }

        return true;
    }

    private static unsafe bool ReceiveExactly(int fd, Span<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            nint read = 0;
            while (read < buffer.Length)
            {
                var n = NativeMethods.Recv(fd, data + read, buffer.Length - read, 0);
                if (n == 0)
                {
                    Marshal.SetLastPInvokeError(0); // EOF: the daemon closed, it did not hang.
                    return false;
                }

                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EIntr)
                    {
                        continue;
                    }

                    return false;
                }

                read += n;
            }
        }

        return true;
    }
}
