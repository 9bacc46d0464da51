using System.Buffers;
using SharpCache.Configuration;
using SharpCache.Protocol;

namespace SharpCache.Daemon;

/// <summary>
/// A daemon connection that carries a <see cref="MessageType.DistPrepare"/> before the preprocessor runs and the
/// compile after it, so the daemon allocates the build server's job meanwhile. Unix socket only, and only with a
/// daemon already up (no start, no wait): otherwise there is no session and the compile goes the usual way.
/// </summary>
internal sealed class DaemonSession : IDisposable
{
    private int _fd;

    private DaemonSession(int fd) => _fd = fd;

    /// <summary>Opens a connection and sends the prepare message; null (nothing held) when that cannot be done at once.</summary>
    /// <paramref name="head"/>: the compile's request but its inputs (<see cref="DistMessageCodec.WritePrepare"/>), with which the
    /// daemon may send the job ahead and stream the text to the build server as it comes.
    public static DaemonSession? TryPrepareDist(SharpCacheOptions options, string compilerPath, string invokedAs, DistCompileRequest? head = null)
    {
        if (DaemonEndpoint.UsesTcp(options))
        {
            return null;
        }

        var payload = new ArrayBufferWriter<byte>(1024);
        DistMessageCodec.WritePrepare(payload, compilerPath, invokedAs, head);
        var frame = new ArrayBufferWriter<byte>(payload.WrittenCount + 8);
        FrameCodec.WriteFrame(frame, MessageType.DistPrepare, payload.WrittenSpan);
        if (UnixSocketClient.TryOpen(options.ServerSocketPath, DaemonClient.ConnectTimeout, out var fd) != UnixSocketClient.Result.Sent)
        {
            return null;
        }

        if (UnixSocketClient.TrySendOn(fd, frame.WrittenSpan) != UnixSocketClient.Result.Sent)
        {
            UnixSocketClient.Close(fd);
            return null;
        }

        return new DaemonSession(fd);
    }

    /// <summary>
    /// The compile's exchange on this connection (which stays open for the stats record, <see cref="TrySendRecord"/>); <paramref name="afterSend"/>
    /// runs once the request is sent, while the answer is awaited.
    /// <see cref="DaemonRequestStatus.Failed"/> includes a daemon that closed the connection meanwhile (its idle timeout, a
    /// restart): the caller may ask again on a new connection.
    /// </summary>
    public DaemonRequestStatus Exchange(ReadOnlySpan<byte> frame, TimeSpan timeout, int maxBodyLength, out byte[]? body, Action? afterSend = null)
    {
        body = null;
        if (_fd < 0)
        {
            return DaemonRequestStatus.Failed;
        }

        var result = UnixSocketClient.ExchangeOn(_fd, frame, timeout, maxBodyLength, out body, afterSend);
        if (result != UnixSocketClient.Result.Sent)
        {
            Dispose();
        }

        return result switch
        {
            UnixSocketClient.Result.Sent => DaemonRequestStatus.Ok,
            UnixSocketClient.Result.TimedOut => DaemonRequestStatus.TimedOut,
            _ => DaemonRequestStatus.Failed,
        };
    }

    /// <summary>
    /// Sends a piece of the compile's preprocessed text ahead (<see cref="MessageType.DistText"/>, under the connect timeout
    /// set on the connection); false, and the session closed, if it could not: the compile then goes on a new connection.
    /// </summary>
    public bool TrySendText(ReadOnlySpan<byte> text) => TrySendFrame(MessageType.DistText, text);

    /// <summary>
    /// Tells the daemon the text sent ahead is whole and gives it the compile's other inputs (<see cref="MessageType.DistTextEnd"/>):
    /// it ends the job sent ahead now. False, and the session closed, if it could not be sent.
    /// </summary>
    public bool TrySendTextEnd(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> inputs)
    {
        var payload = new ArrayBufferWriter<byte>(256);
        DistMessageCodec.WriteTextEnd(payload, inputs);
        return TrySendFrame(MessageType.DistTextEnd, payload.WrittenSpan);
    }

    /// <summary>Sends a frame of <paramref name="type"/> (its header, then <paramref name="payload"/> as it is); false, and the session closed, if it could not.</summary>
    private bool TrySendFrame(MessageType type, ReadOnlySpan<byte> payload)
    {
        if (_fd < 0)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[FrameFormat.PrefixLength + FrameFormat.MinBodyLength];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(payload.Length + FrameFormat.MinBodyLength));
        header[FrameFormat.PrefixLength] = FrameFormat.Version;
        header[FrameFormat.PrefixLength + 1] = (byte)type;
        if (UnixSocketClient.TrySendOn(_fd, header) == UnixSocketClient.Result.Sent && UnixSocketClient.TrySendOn(_fd, payload) == UnixSocketClient.Result.Sent)
        {
            return true;
        }

        Dispose();
        return false;
    }

    /// <summary>Sends the compile's stats record on this connection (no new connection to accept) and closes it; false if it could not.</summary>
    public bool TrySendRecord(CompileRecord record)
    {
        if (_fd < 0)
        {
            return false;
        }

        var sent = UnixSocketClient.TrySendOn(_fd, DaemonClient.RecordFrame(record).WrittenSpan) == UnixSocketClient.Result.Sent;
        Dispose();
        return sent;
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            UnixSocketClient.Close(_fd);
            _fd = -1;
        }
    }
}
