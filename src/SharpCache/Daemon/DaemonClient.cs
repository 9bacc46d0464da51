using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using SharpCache.Configuration;
using SharpCache.Logging;
using SharpCache.Protocol;

namespace SharpCache.Daemon;

/// <summary>
/// The client's side of the daemon connection. Synchronous on purpose: the client is a
/// short-lived NativeAOT process and must not pay for thread-pool start-up. Every wait is
/// bounded by a socket timeout (SO_SNDTIMEO bounds a blocking connect on Linux too).
/// </summary>
internal static class DaemonClient
{
    /// <summary>Connect (and send) budget for one attempt against a live or hung daemon.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>How long to keep retrying after spawning a daemon.</summary>
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Tells the daemon about one compile, starting the daemon if none is running. Fire-and-forget:
    /// bounded in time (~200 ms against a hung daemon, ~2.5 s on a cold start), never throws,
    /// never fails the compile.
    /// </summary>
    public static void RecordCompile(SharpCacheOptions options, CompileRecord record) =>
        _ = TryRecordCompile(options, record, DaemonLauncher.TrySpawn, StartupTimeout);

    /// <summary>The <see cref="MessageType.RecordCompile"/> frame of <paramref name="record"/>.</summary>
    internal static ArrayBufferWriter<byte> RecordFrame(CompileRecord record)
    {
        var payload = new ArrayBufferWriter<byte>(256);
        CompileRecordCodec.Write(payload, record);
        var frame = new ArrayBufferWriter<byte>(payload.WrittenCount + 8);
        FrameCodec.WriteFrame(frame, MessageType.RecordCompile, payload.WrittenSpan);
        return frame;
    }

    /// <summary>Testable core of <see cref="RecordCompile(SharpCacheOptions, CompileRecord)"/>; true when the bytes were handed to the daemon.</summary>
    internal static bool TryRecordCompile(SharpCacheOptions options, CompileRecord record, Func<SharpCacheOptions, bool>? launcher, TimeSpan startupTimeout)
    {
        try
        {
            var frame = RecordFrame(record);

            if (!DaemonEndpoint.UsesTcp(options))
            {
                var fast = UnixSocketClient.TrySend(options.ServerSocketPath, frame.WrittenSpan, ConnectTimeout);
                if (fast == UnixSocketClient.Result.Sent)
                {
                    return true;
                }

                if (fast is UnixSocketClient.Result.Failed or UnixSocketClient.Result.TimedOut)
                {
                    // A daemon exists but did not take the message in time: do not start another.
                    return false;
                }
            }

            using var socket = Connect(options, launcher, startupTimeout, out _);
            if (socket is null)
            {
                return false;
            }

            SendAll(socket, frame.WrittenSpan);
            return true;
        }
#pragma warning disable CA1031 // The compile must never fail because stats could not be sent.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Debug("could not record compile: " + e.Message);
            return false;
        }
    }

    /// <summary>
    /// One request/response exchange. <paramref name="launcher"/> non-null = start a daemon
    /// when none runs (connect-or-start); <paramref name="timeout"/> bounds the response wait.
    /// </summary>
    internal static DaemonRequestStatus Request(
        SharpCacheOptions options,
        MessageType type,
        Func<SharpCacheOptions, bool>? launcher,
        TimeSpan timeout,
        out DaemonResponse? response)
    {
        response = null;
        try
        {
            var frame = new ArrayBufferWriter<byte>(16);
            FrameCodec.WriteFrame(frame, type, default);
            using var socket = Connect(options, launcher, StartupTimeout, out var notRunning);
            if (socket is null)
            {
                return notRunning ? DaemonRequestStatus.NotRunning : DaemonRequestStatus.Failed;
            }

            socket.SendTimeout = (int)timeout.TotalMilliseconds;
            socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            SendAll(socket, frame.WrittenSpan);
            Span<byte> prefix = stackalloc byte[FrameFormat.PrefixLength];
            if (!ReceiveExactly(socket, prefix)
                || FrameCodec.ReadLength(prefix, Math.Max(options.MaxFrameLength, 1 << 20), out var length) != FrameLengthStatus.Ok)
            {
                return DaemonRequestStatus.Failed;
            }

            var body = new byte[length];
            if (!ReceiveExactly(socket, body) || !FrameCodec.TryReadBody(body, out _, out var responseType, out var responsePayload))
            {
                return DaemonRequestStatus.Failed;
            }

            response = Decode(responseType, responsePayload);
            return response is null ? DaemonRequestStatus.Failed : DaemonRequestStatus.Ok;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Log.Debug("daemon request " + type + " failed: " + e.Message);
            return DaemonRequestStatus.Failed;
        }
    }

    /// <summary>
    /// One exchange of a prebuilt frame for a response body (version + type + payload), starting a
    /// daemon when none runs and <paramref name="launcher"/> is given. The compile path's requests
    /// (remote-tier lookups) go through here: libc sockets for the Unix socket, bounded by
    /// <paramref name="timeout"/> per receive. Never throws.
    /// </summary>
    internal static DaemonRequestStatus Exchange(
        SharpCacheOptions options,
        ReadOnlySpan<byte> frame,
        Func<SharpCacheOptions, bool>? launcher,
        TimeSpan startupTimeout,
        TimeSpan timeout,
        int maxBodyLength,
        out byte[]? body)
    {
        body = null;
        try
        {
            if (!DaemonEndpoint.UsesTcp(options))
            {
                var fast = UnixSocketClient.TryExchange(options.ServerSocketPath, frame, timeout, maxBodyLength, out body);
                if (fast == UnixSocketClient.Result.NotRunning && launcher is not null && launcher(options))
                {
                    var clock = Stopwatch.StartNew();
                    var delay = 5;
                    while (fast == UnixSocketClient.Result.NotRunning && clock.Elapsed < startupTimeout)
                    {
                        Thread.Sleep(delay);
                        delay = Math.Min(delay * 2, 50);
                        fast = UnixSocketClient.TryExchange(options.ServerSocketPath, frame, timeout, maxBodyLength, out body);
                    }
                }

                if (ToStatus(fast) is { } status)
                {
                    return status;
                }
            }

            using var socket = Connect(options, launcher, startupTimeout, out var notRunning);
            if (socket is null)
            {
                return notRunning ? DaemonRequestStatus.NotRunning : DaemonRequestStatus.Failed;
            }

            socket.SendTimeout = (int)timeout.TotalMilliseconds;
            socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            SendAll(socket, frame);
            Span<byte> prefix = stackalloc byte[FrameFormat.PrefixLength];
            if (!ReceiveExactly(socket, prefix) || FrameCodec.ReadLength(prefix, maxBodyLength, out var length) != FrameLengthStatus.Ok)
            {
                return DaemonRequestStatus.Failed;
            }

            var buffer = new byte[length];
            if (!ReceiveExactly(socket, buffer))
            {
                return DaemonRequestStatus.Failed;
            }

            body = buffer;
            return DaemonRequestStatus.Ok;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            Log.Debug("daemon exchange timed out: " + e.Message);
            return DaemonRequestStatus.TimedOut;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Log.Debug("daemon exchange failed: " + e.Message);
            return DaemonRequestStatus.Failed;
        }
    }

    /// <summary>A libc attempt's outcome as a request status; null: the path needs the runtime's sockets.</summary>
    private static DaemonRequestStatus? ToStatus(UnixSocketClient.Result result) => result switch
    {
        UnixSocketClient.Result.Sent => DaemonRequestStatus.Ok,
        UnixSocketClient.Result.NotRunning => DaemonRequestStatus.NotRunning,
        UnixSocketClient.Result.TimedOut => DaemonRequestStatus.TimedOut,
        UnixSocketClient.Result.Failed => DaemonRequestStatus.Failed,
        _ => null,
    };

    /// <summary>Sends a prebuilt frame without waiting for an answer (remote puts); never throws.</summary>
    internal static DaemonRequestStatus Post(SharpCacheOptions options, ReadOnlySpan<byte> frame, TimeSpan timeout)
    {
        try
        {
            if (!DaemonEndpoint.UsesTcp(options))
            {
                if (ToStatus(UnixSocketClient.TrySend(options.ServerSocketPath, frame, timeout)) is { } status)
                {
                    return status;
                }
            }

            using var socket = Connect(options, launcher: null, TimeSpan.Zero, out var notRunning);
            if (socket is null)
            {
                return notRunning ? DaemonRequestStatus.NotRunning : DaemonRequestStatus.Failed;
            }

            socket.SendTimeout = (int)timeout.TotalMilliseconds;
            SendAll(socket, frame);
            return DaemonRequestStatus.Ok;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return DaemonRequestStatus.TimedOut;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Log.Debug("daemon post failed: " + e.Message);
            return DaemonRequestStatus.Failed;
        }
    }

    private static DaemonResponse? Decode(MessageType type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case MessageType.Stats:
            case MessageType.ShuttingDown:
                return ServerInfoCodec.TryRead(payload, out var info) ? new DaemonResponse(type, info, null) : null;
            case MessageType.Pong:
            case MessageType.Error:
                var reader = new PayloadReader(payload);
                return reader.TryReadString(out var text) ? new DaemonResponse(type, null, text) : null;
            case MessageType.ZeroStatsAck:
                return new DaemonResponse(type, null, null);
            default:
                return null;
        }
    }

    /// <summary>
    /// Connects; if nothing listens and a launcher is given, starts a daemon and retries until
    /// <paramref name="startupTimeout"/>. A daemon that exists but does not accept in time is
    /// not restarted (that would only pile up daemons): the caller gives up.
    /// </summary>
    private static Socket? Connect(SharpCacheOptions options, Func<SharpCacheOptions, bool>? launcher, TimeSpan startupTimeout, out bool notRunning)
    {
        var socket = TryConnect(options, out notRunning);
        if (socket is not null || !notRunning || launcher is null)
        {
            return socket;
        }

        if (!launcher(options))
        {
            return null;
        }

        var clock = Stopwatch.StartNew();
        var delay = 5;
        while (clock.Elapsed < startupTimeout)
        {
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 100);
            socket = TryConnect(options, out notRunning);
            if (socket is not null)
            {
                return socket;
            }
        }

        return null;
    }

    private static Socket? TryConnect(SharpCacheOptions options, out bool notRunning)
    {
        notRunning = false;
        if (!DaemonEndpoint.UsesTcp(options) && !PathExists(options.ServerSocketPath))
        {
            // No socket file (or no directory): nothing can be listening.
            notRunning = true;
            return null;
        }

        var socket = DaemonEndpoint.CreateSocket(options);
        try
        {
            socket.SendTimeout = (int)ConnectTimeout.TotalMilliseconds;
            socket.ReceiveTimeout = (int)ConnectTimeout.TotalMilliseconds;
            socket.Connect(DaemonEndpoint.Create(options));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            notRunning = e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable
                or SocketError.HostNotFound or SocketError.NetworkUnreachable
                || e.ErrorCode == 2; // ENOENT
            Log.Debug("connect to " + DaemonEndpoint.Describe(options) + " failed: " + e.SocketErrorCode);
            return null;
        }
    }

    private static bool PathExists(string path)
    {
        // File.Exists answers false for sockets on some runtimes; ask for the entry itself.
        try
        {
            _ = File.GetAttributes(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void SendAll(Socket socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var n = socket.Send(data);
            data = data[n..];
        }
    }

    private static bool ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = socket.Receive(buffer[read..]);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
