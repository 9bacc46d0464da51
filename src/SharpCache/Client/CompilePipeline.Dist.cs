using System.Buffers;
using System.Diagnostics;
using SharpCache.Core.Processes;
using SharpCache.Daemon;
using SharpCache.Protocol;

namespace SharpCache.Client;

/// <summary>A miss compiled on the build cluster through the daemon, or (on any failure there) not at all: the caller compiles locally.</summary>
internal sealed partial class CompilePipeline
{
    /// <summary>Bound on the wait for the daemon's answer: toolchain upload plus the job (the daemon bounds each step itself).</summary>
    private static readonly TimeSpan DistTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Largest reply accepted (a compile's outputs and diagnostics).</summary>
    private const int MaxDistReply = int.MaxValue - 64;

    /// <summary>Environment variables the remote compiler gets from ours (diagnostics language); the daemon sets <c>PATH</c>.</summary>
    /// <summary>Set when the daemon could not be asked: the miss record then counts a dist error.</summary>
    private bool _distDaemonFailed;

    private static readonly string[] ForwardedEnvironment = ["LANG", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "GCC_COLORS", "TERM"];

    /// <summary>
    /// Runs the compile on a build server. The outputs are written and stdout/stderr passed on before it returns;
    /// null means "not done remotely" (the reason went to the log): compile locally.
    /// </summary>
    private ProcessResult? TryRunDistributed(DistPlan plan, CompileContext context, string executable, ReadOnlyMemory<byte> preprocessed, out long micros)
    {
        var stopwatch = Stopwatch.StartNew();
        micros = 0;
        var inputs = new List<KeyValuePair<string, byte[]>>(2 + plan.ExtraInputs.Count) { new(plan.InputPath, preprocessed.ToArray()) };
        try
        {
            inputs.Add(new(plan.SourcePath, File.ReadAllBytes(plan.SourcePath)));
            foreach (var extra in plan.ExtraInputs)
            {
                inputs.Add(new(extra, File.ReadAllBytes(extra)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Diagnostics.Write("not distributed: " + e.Message);
            return null;
        }

        var environment = new List<KeyValuePair<string, string>>();
        foreach (var name in ForwardedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment.Add(new(name, value));
            }
        }

        var request = new DistCompileRequest
        {
            CompilerPath = context.Compiler.ExecutablePath,
            InvokedAs = executable,
            WorkingDirectory = context.WorkingDirectory,
            Arguments = plan.RemoteArguments,
            Environment = environment,
            Inputs = inputs,
            Outputs = plan.Outputs,
            RequiredOutputs = plan.RequiredOutputs,
        };
        var payload = new ArrayBufferWriter<byte>(preprocessed.Length + 4096);
        DistMessageCodec.WriteRequest(payload, request);
        var frame = new ArrayBufferWriter<byte>(payload.WrittenCount + 16);
        FrameCodec.WriteFrame(frame, MessageType.DistCompile, payload.WrittenSpan);
        if (frame.WrittenCount > _options.MaxFrameLength)
        {
            Diagnostics.Write("not distributed: the preprocessed input is over SCCACHE_MAX_FRAME_LENGTH");
            return null;
        }

        var status = DaemonClient.Exchange(_options, frame.WrittenSpan, DaemonLauncher.TrySpawn, TimeSpan.FromSeconds(10), DistTimeout, MaxDistReply, out var body);
        if (status != DaemonRequestStatus.Ok || body is null
            || !FrameCodec.TryReadBody(body, out _, out var type, out var replyPayload)
            || type != MessageType.DistCompileReply
            || !DistMessageCodec.TryReadResult(replyPayload, out var result))
        {
            Diagnostics.Write("not distributed: the daemon did not answer (" + status + ")");
            _distDaemonFailed = true;
            return null;
        }

        if (result!.Status != DistCompileStatus.Completed)
        {
            Diagnostics.Write("not distributed: " + result.Reason);
            return null;
        }

        if (result.ExitCode == 0)
        {
            foreach (var (path, content) in result.Outputs)
            {
                if (!plan.Outputs.Contains(path) || !AtomicFile.TryWrite(path, content, 0))
                {
                    Diagnostics.Write("not distributed: cannot write " + path);
                    return null;
                }
            }
        }

        OutputReplay.Write(result.Stdout, result.Stderr);
        _compiler.CompletedElsewhere(result.ExitCode);
        micros = (long)stopwatch.Elapsed.TotalMicroseconds;
        return new ProcessResult(result.ExitCode, result.Stdout, result.Stderr);
    }
}
