using System.Buffers;
using System.Net.Sockets;
using SharpCache.Logging;
using SharpCache.Protocol;
using SharpCache.Stats;

namespace SharpCache.Daemon;

/// <summary>
/// One connection: read frames until EOF, serve each. Anything unexpected — garbage, a frame
/// over <c>SCCACHE_MAX_FRAME_LENGTH</c>, a half-written frame, silence past
/// <see cref="ConnectionIdleTimeout"/>, an abrupt disconnect — closes this connection only.
/// </summary>
internal sealed partial class DaemonServer
{
    private async Task ServeConnectionAsync(Socket socket, CancellationToken stopping)
    {
        var prefix = new byte[FrameFormat.PrefixLength];
        var response = new ArrayBufferWriter<byte>(512);
        IDistPreparation? prepared = null;
        TextBuffer? streamed = null;
        var stored = new StoredEntry(_pendingRecords);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(ConnectionIdleTimeout);
                if (!await ReceiveExactlyAsync(socket, prefix, timeout.Token).ConfigureAwait(false))
                {
                    return;
                }

                var status = FrameCodec.ReadLength(prefix, _options.MaxFrameLength, out var bodyLength);
                if (status != FrameLengthStatus.Ok)
                {
                    Log.Debug("closing connection: frame length " + status);
                    return;
                }

                var body = ArrayPool<byte>.Shared.Rent(bodyLength);
                try
                {
                    if (!await ReceiveExactlyAsync(socket, body.AsMemory(0, bodyLength), timeout.Token).ConfigureAwait(false))
                    {
                        Log.Debug("closing connection: truncated frame");
                        return;
                    }

                    Touch();
                    response.ResetWrittenCount();
                    var action = PeekType(body.AsSpan(0, bodyLength)) switch
                    {
                        MessageType.RemoteGet => await HandleRemoteGetAsync(body.AsMemory(0, bodyLength), response, timeout.Token).ConfigureAwait(false),

                        // A remote compile takes as long as it takes (the dist client bounds it): not the idle timeout.
                        MessageType.DistCompile when streamed is not { WrittenCount: > 0 } => await HandleDistCompileAsync(socket, body.AsMemory(0, bodyLength), response, Take(ref prepared), null, stored, stopping).ConfigureAwait(false),
                        MessageType.DistCompileRest => await HandleDistCompileAsync(socket, body.AsMemory(0, bodyLength), response, Take(ref prepared), streamed ??= new(), stored, stopping).ConfigureAwait(false),
                        MessageType.DistText => AppendText(body.AsSpan(0, bodyLength), ref streamed, prepared),
                        MessageType.DistTextEnd => EndText(body.AsMemory(0, bodyLength), prepared),
                        MessageType.DistCompile => CloseMalformed("a dist compile after text sent ahead"),
                        MessageType.DistPrepare => HandleDistPrepare(body.AsMemory(0, bodyLength), ref prepared, stopping),

                        // Stats asked for (or zeroed) after a compile returned count it, though its record comes after the daemon's write.
                        MessageType.GetStats or MessageType.ZeroStats when _pendingRecords.Any => await HandleAfterPendingRecordsAsync(body, bodyLength, response, stored).ConfigureAwait(false),
                        _ => Handle(body.AsSpan(0, bodyLength), response, stored),
                    };
                    if (response.WrittenCount > 0)
                    {
                        // A dist compile may have outlived the idle timeout that was armed when its request arrived.
                        using var send = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                        send.CancelAfter(ConnectionIdleTimeout);
                        await SendAllAsync(socket, response.WrittenMemory, send.Token).ConfigureAwait(false);
                    }

                    if (action == FrameAction.Stop)
                    {
                        socket.Shutdown(SocketShutdown.Both);
                        RequestStop(DaemonStopReason.Requested);
                        return;
                    }

                    if (action == FrameAction.Close)
                    {
                        return;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(body);
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            if (Log.IsEnabled(LogLevel.Debug))
            {
                Log.Debug("connection ended: " + e.GetType().Name + ": " + e.Message);
            }
        }
        finally
        {
            prepared?.Release(); // before the text goes back to the pool: a job sent ahead is given up first
            streamed?.Reset(keep: false);
            stored.Release();
            socket.Dispose();
            Interlocked.Decrement(ref _activeConnections);
        }
    }

    /// <summary>A piece of the text of the compile that follows (<see cref="MessageType.DistText"/>); no response.</summary>
    private FrameAction AppendText(ReadOnlySpan<byte> body, ref TextBuffer? streamed, IDistPreparation? prepared)
    {
        FrameCodec.TryReadBody(body, out _, out _, out var text);
        streamed ??= new TextBuffer();
        if ((long)streamed.WrittenCount + text.Length > _options.MaxFrameLength)
        {
            return CloseMalformed("text sent ahead over SCCACHE_MAX_FRAME_LENGTH");
        }

        var start = streamed.WrittenCount;
        streamed.Write(text);

        // A slice of the buffer: when it grows, the slice keeps the array it was in (same bytes); the buffer is reused for
        // the next compile only after this one's end.
        prepared?.AppendText(streamed.WrittenMemory[start..]);
        return FrameAction.Continue;
    }

    /// <summary>The text sent ahead is whole; the compile's other inputs (<see cref="MessageType.DistTextEnd"/>); no response.</summary>
    private static FrameAction EndText(ReadOnlyMemory<byte> body, IDistPreparation? prepared)
    {
        if (!FrameCodec.TryReadBody(body.Span, out _, out _, out var payload)
            || !DistMessageCodec.TryReadTextEnd(body[(body.Length - payload.Length)..], out var inputs))
        {
            return CloseMalformed("a malformed text end");
        }

        // Copied: the frame's buffer goes back to the pool after this message, the inputs may be sent after that.
        prepared?.EndText([.. inputs.Select(i => new KeyValuePair<string, ReadOnlyMemory<byte>>(i.Key, i.Value.ToArray()))]);
        return FrameAction.Continue;
    }

    private static FrameAction CloseMalformed(string what)
    {
        Log.Debug("closing connection: " + what);
        return FrameAction.Close;
    }

    private static IDistPreparation? Take(ref IDistPreparation? prepared)
    {
        var taken = prepared;
        prepared = null;
        return taken;
    }

    /// <summary>A compile is coming on this connection once the client has preprocessed: start its job now. No response.</summary>
    private FrameAction HandleDistPrepare(ReadOnlyMemory<byte> body, ref IDistPreparation? prepared, CancellationToken token)
    {
        FrameCodec.TryReadBody(body.Span, out _, out _, out var payloadSpan);
        if (!DistMessageCodec.TryReadPrepare(body[(body.Length - payloadSpan.Length)..], out var compilerPath, out var invokedAs, out var head))
        {
            Log.Debug("closing connection: malformed dist prepare");
            return FrameAction.Close;
        }

        prepared?.Release();

        // The head's strings are copies; the frame's buffer goes back to the pool after this.
        prepared = _dist?.Prepare(compilerPath, invokedAs, head, token);
        return FrameAction.Continue;
    }

    private FrameAction Handle(ReadOnlySpan<byte> body, ArrayBufferWriter<byte> response, StoredEntry stored)
    {
        if (!FrameCodec.TryReadBody(body, out var version, out var type, out var payload))
        {
            WriteError(response, "unsupported protocol version " + version + " (this daemon speaks " + FrameFormat.Version + ")");
            return FrameAction.Close;
        }

        switch (type)
        {
            case MessageType.Ping:
                WriteString(response, MessageType.Pong, ProductVersion.Value);
                return FrameAction.Continue;
            case MessageType.RecordCompile:
                if (!CompileRecordCodec.TryRead(payload, out var record))
                {
                    Log.Debug("closing connection: malformed compile record");
                    return FrameAction.Close;
                }

                Stats.Record(record!.StoredByDaemon ? stored.Complete(record) : record);
                stored.Release(); // a stats request waiting for this record sees it counted
                return FrameAction.Continue;
            case MessageType.GetStats:
                WriteInfo(response, MessageType.Stats);
                return FrameAction.Continue;
            case MessageType.ZeroStats:
                Stats.Reset();
                _remote?.ResetStats();
                FrameCodec.WriteFrame(response, MessageType.ZeroStatsAck, default);
                return FrameAction.Continue;
            case MessageType.RemotePut:
                if (!RemoteMessageCodec.TryReadPut(payload, out var putKey, out var putData))
                {
                    Log.Debug("closing connection: malformed remote put");
                    return FrameAction.Close;
                }

                _remote?.EnqueuePut(putKey, putData.ToArray());
                return FrameAction.Continue;
            case MessageType.Shutdown:
                WriteInfo(response, MessageType.ShuttingDown);
                return FrameAction.Stop;
            default:
                WriteError(response, "unknown message type 0x" + ((byte)type).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                return FrameAction.Close;
        }
    }

    /// <summary>The message type of a well-formed frame of this version; null otherwise (then <see cref="Handle"/> answers the error).</summary>
    private static MessageType? PeekType(ReadOnlySpan<byte> body) =>
        FrameCodec.TryReadBody(body, out var version, out var type, out _) && version == FrameFormat.Version ? type : null;

    /// <summary>
    /// Runs the compile on the cluster and answers it. When the request asks the daemon to store the entry and the compile
    /// succeeded, the answer goes out at once, the entry is written while the client writes the outputs, and a
    /// <see cref="MessageType.DistStored"/> frame follows (left in <paramref name="response"/> for the caller to send); with
    /// <see cref="DistStoreRequest.ReportInRecord"/> the outcome is kept in <paramref name="stored"/> for the client's record instead.
    /// </summary>
    private async ValueTask<FrameAction> HandleDistCompileAsync(Socket socket, ReadOnlyMemory<byte> body, ArrayBufferWriter<byte> response, IDistPreparation? prepared, TextBuffer? streamed, StoredEntry stored, CancellationToken token)
    {
        FrameCodec.TryReadBody(body.Span, out _, out _, out var payloadSpan);
        var payload = body[(body.Length - payloadSpan.Length)..];
        if (!DistMessageCodec.TryReadRequest(payload, out var request) || (streamed is not null && request!.Inputs.Count == 0))
        {
            prepared?.Release();
            Log.Debug("closing connection: malformed dist compile request");
            return FrameAction.Close;
        }

        if (streamed is not null)
        {
            // A DistCompileRest: its first input is the rest of the text sent ahead.
            var (path, rest) = request!.Inputs[0];
            if ((long)streamed.WrittenCount + rest.Length > _options.MaxFrameLength)
            {
                prepared?.Release();
                return CloseMalformed("text sent ahead over SCCACHE_MAX_FRAME_LENGTH");
            }

            streamed.Write(rest.Span);
            request = request with { Inputs = [new(path, streamed.WrittenMemory), .. request.Inputs.Skip(1)] };
        }

        DistCompileResult result;
        if (_dist is null)
        {
            result = DistCompileResult.Local("this daemon has no dist client (is sharpcache-daemon installed next to sharpcache?)");
        }
        else
        {
            result = await _dist.CompileAsync(request!, prepared, token).ConfigureAwait(false);
            if (result.Status == DistCompileStatus.Completed && result.ExitCode != 0 && request!.RetryLocallyOnError)
            {
                Log.Info("the include-rewritten compile failed on " + result.Server + " (exit " + result.ExitCode + "); the client compiles it locally");
            }
            else if (result.Status == DistCompileStatus.Completed)
            {
                Stats.RecordDistCompile(result.Server ?? "unknown");
            }
            else if (result.Status == DistCompileStatus.Failed)
            {
                Stats.RecordDistError();
                Log.Warn("could not perform distributed compile, falling back to local: " + result.Reason);
            }
        }

        // The text sent ahead is done with (the inputs are not used after the compile); the buffer serves the next one.
        streamed?.Reset(keep: true);
        var store = DistStore.Applies(request!, result);
        if (store)
        {
            result = result with { StorePending = true };
        }

        var reply = new ArrayBufferWriter<byte>(result.Stdout.Length + result.Stderr.Length + result.Outputs.Sum(o => o.Value.Length + o.Key.Length + 8) + 256);
        DistMessageCodec.WriteResult(reply, result);
        FrameCodec.WriteFrame(response, MessageType.DistCompileReply, reply.WrittenSpan);
        if (!store)
        {
            return FrameAction.Continue;
        }

        if (request!.Store!.ReportInRecord)
        {
            stored.Begin(); // before the client can have the answer (and end)
        }

        using (var send = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            send.CancelAfter(ConnectionIdleTimeout);
            await SendAllAsync(socket, response.WrittenMemory, send.Token).ConfigureAwait(false);
        }

        var (outcome, micros) = DistStore.Write(request.Store, result);
        response.ResetWrittenCount();
        if (request.Store.ReportInRecord)
        {
            stored.Set(outcome, micros);
            return FrameAction.Continue;
        }

        var report = new ArrayBufferWriter<byte>(16);
        DistMessageCodec.WriteStored(report, outcome, micros);
        FrameCodec.WriteFrame(response, MessageType.DistStored, report.WrittenSpan);
        return FrameAction.Continue;
    }

    private async ValueTask<FrameAction> HandleAfterPendingRecordsAsync(byte[] body, int bodyLength, ArrayBufferWriter<byte> response, StoredEntry stored)
    {
        stored.Release(); // not this connection's own record: it comes after this request, if at all
        await _pendingRecords.WaitAsync(PendingRecordsWait).ConfigureAwait(false);
        return Handle(body.AsSpan(0, bodyLength), response, stored);
    }

    private async ValueTask<FrameAction> HandleRemoteGetAsync(ReadOnlyMemory<byte> body, ArrayBufferWriter<byte> response, CancellationToken token)
    {
        FrameCodec.TryReadBody(body.Span, out _, out _, out var payload);
        if (!RemoteMessageCodec.TryReadGet(payload, out var key))
        {
            Log.Debug("closing connection: malformed remote get");
            return FrameAction.Close;
        }

        var lookup = _remote is null
            ? new RemoteLookup(RemoteGetStatus.NoTiers, null, null)
            : await _remote.GetAsync(key, token).ConfigureAwait(false);
        var bundle = lookup.Bundle ?? [];
        var reply = new ArrayBufferWriter<byte>((lookup.Data?.Length ?? 0) + bundle.Sum(b => b.Value.Length + 80) + 64);
        RemoteMessageCodec.WriteReply(reply, lookup.Status, lookup.Data, lookup.Reason, bundle);
        FrameCodec.WriteFrame(response, MessageType.RemoteGetReply, reply.WrittenSpan);
        return FrameAction.Continue;
    }

    private void WriteInfo(ArrayBufferWriter<byte> response, MessageType type)
    {
        var payload = new ArrayBufferWriter<byte>(1024);
        ServerInfoCodec.Write(payload, ServerInfoFactory.Create(Stats, _options, _remote));
        FrameCodec.WriteFrame(response, type, payload.WrittenSpan);
    }

    private static void WriteError(ArrayBufferWriter<byte> response, string message) => WriteString(response, MessageType.Error, message);

    private static void WriteString(ArrayBufferWriter<byte> response, MessageType type, string text)
    {
        var payload = new ArrayBufferWriter<byte>(64);
        PayloadWriter.WriteString(payload, text);
        FrameCodec.WriteFrame(response, type, payload.WrittenSpan);
    }

    /// <summary>Fills <paramref name="buffer"/>; false on EOF (clean at a frame boundary or not).</summary>
    private static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken token)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, token).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            var n = await socket.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
            data = data[n..];
        }
    }

    private enum FrameAction
    {
        Continue,
        Close,
        Stop,
    }
}
