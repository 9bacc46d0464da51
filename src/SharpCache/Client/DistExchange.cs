using System.Buffers;
using SharpCache.Configuration;
using SharpCache.Core.Processes;
using SharpCache.Daemon;
using SharpCache.Protocol;

namespace SharpCache.Client;

/// <summary>
/// One compile sent to the build cluster through the daemon (C/C++ and Rust alike): on success the outputs
/// named by the request are written atomically and stdout/stderr passed on before it returns; null means
/// "not done remotely" (the reason went to the log) and nothing was written: the caller compiles locally.
/// </summary>
internal static class DistExchange
{
    /// <summary>Bound on the wait for the daemon's answer: toolchain upload plus the job (the daemon bounds each step itself).</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <summary>Largest reply accepted (a compile's outputs and diagnostics).</summary>
    private const int MaxReply = int.MaxValue - 64;

    /// <summary>
    /// Sends <paramref name="request"/>; <paramref name="daemonFailed"/> is set when the daemon could not be asked (the miss
    /// record then counts a dist error). With <paramref name="retryLocallyOnError"/> a remote compile error is not passed on:
    /// the caller compiles locally (include-rewritten text may fail where the user's source does not).
    /// </summary>
    public static ProcessResult? TryRun(SharpCacheOptions options, CompilerProcess compiler, DistCompileRequest request, int sizeHint, bool retryLocallyOnError, ref bool daemonFailed)
    {
        var payload = new ArrayBufferWriter<byte>(Math.Max(sizeHint, 0) + 4096);
        DistMessageCodec.WriteRequest(payload, request);
        var frame = new ArrayBufferWriter<byte>(payload.WrittenCount + 16);
        FrameCodec.WriteFrame(frame, MessageType.DistCompile, payload.WrittenSpan);
        return TryRun(options, compiler, frame.WrittenSpan, frame.WrittenSpan, -1, request.Outputs, null, retryLocallyOnError, ref daemonFailed, out _);
    }

    /// <summary>
    /// As above, for a <see cref="MessageType.DistCompile"/> frame already built (<see cref="DistFrame"/>) whose request names
    /// <paramref name="outputs"/>, on <paramref name="session"/> when the daemon was told ahead (a new connection if that one broke).
    /// On the session goes <paramref name="sessionFrame"/>: the same frame, or its <see cref="MessageType.DistCompileRest"/> when
    /// the text went ahead on it (<see cref="DistFrame.SessionFrame"/>); a new connection gets <paramref name="frame"/>.
    /// <paramref name="storePending"/>: the daemon is writing the request's cache entry and puts the outcome into the stats record
    /// sent next on <paramref name="session"/> (<see cref="DistStoreRequest.ReportInRecord"/>). <paramref name="storeAt"/>: where the frame's
    /// store block begins (-1: none); a request sent again on a new connection goes without it (a daemon from before the
    /// block closes the connection on one; this process then stores the entry). <paramref name="whileWaiting"/> runs once,
    /// after the request is sent on the session (on a new connection: after its answer, so as not to delay the request).
    /// </summary>
    public static ProcessResult? TryRun(SharpCacheOptions options, CompilerProcess compiler, ReadOnlySpan<byte> frame, ReadOnlySpan<byte> sessionFrame, int storeAt, IReadOnlyList<string> outputs, DaemonSession? session, bool retryLocallyOnError, ref bool daemonFailed, out bool storePending, Action? whileWaiting = null)
    {
        storePending = false;
        if (frame.Length > options.MaxFrameLength)
        {
            Diagnostics.Write("not distributed: the inputs are over SCCACHE_MAX_FRAME_LENGTH");
            return null;
        }

        byte[]? body = null;
        var status = DaemonRequestStatus.Failed;
        var onSession = false;
        var waited = false;
        void Waiting()
        {
            if (!waited)
            {
                waited = true;
                whileWaiting?.Invoke();
            }
        }

        if (session is not null)
        {
            status = session.Exchange(sessionFrame, Timeout, MaxReply, out body, Waiting);
            onSession = status == DaemonRequestStatus.Ok;
        }

        // No session, or its connection broke before an answer (the daemon's idle timeout, a restart, a daemon from before
        // the store block): a new connection, without the block.
        if (status == DaemonRequestStatus.Failed)
        {
            status = DaemonClient.Exchange(options, storeAt < 0 ? frame : WithoutStore(frame, storeAt), DaemonLauncher.TrySpawn, TimeSpan.FromSeconds(10), Timeout, MaxReply, out body);
        }

        Waiting();
        if (status != DaemonRequestStatus.Ok || body is null
            || !FrameCodec.TryReadBody(body, out _, out var type, out var replyPayload)
            || type != MessageType.DistCompileReply
            || !DistMessageCodec.TryReadResult(replyPayload, out var result))
        {
            Diagnostics.Write("not distributed: the daemon did not answer (" + status + ")");
            daemonFailed = true;
            return null;
        }

        if (result!.Status != DistCompileStatus.Completed)
        {
            Diagnostics.Write("not distributed: " + result.Reason);
            return null;
        }

        if (result.ExitCode != 0 && retryLocallyOnError)
        {
            Diagnostics.Write("not distributed: the include-rewritten compile failed on " + result.Server + " (exit " + result.ExitCode + "); compiling locally");
            return null;
        }

        if (result.ExitCode == 0)
        {
            foreach (var (path, content) in result.Outputs)
            {
                if (!outputs.Contains(path) || !AtomicFile.TryWrite(path, content, 0))
                {
                    Diagnostics.Write("not distributed: cannot write " + path);
                    return null;
                }
            }
        }

        OutputReplay.Write(result.Stdout, result.Stderr);
        compiler.CompletedElsewhere(result.ExitCode);
        storePending = result.StorePending && onSession;
        return new ProcessResult(result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>The frame cut before its store block, its length prefix set to match (a copy: the rare second attempt).</summary>
    private static byte[] WithoutStore(ReadOnlySpan<byte> frame, int storeAt)
    {
        var copy = frame[..storeAt].ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy, (uint)(storeAt - FrameFormat.PrefixLength));
        return copy;
    }
}
