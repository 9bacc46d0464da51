using System.Diagnostics;
using SharpCache.Core.Processes;
using SharpCache.Protocol;

namespace SharpCache.Client;

/// <summary>A miss compiled on the build cluster through the daemon, or (on any failure there) not at all: the caller compiles locally.</summary>
internal sealed partial class CompilePipeline
{
    /// <summary>Set when the daemon could not be asked: the miss record then counts a dist error.</summary>
    private bool _distDaemonFailed;

    /// <summary>Environment variables the remote compiler gets from ours (diagnostics language); the daemon sets <c>PATH</c>.</summary>
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
            if (plan.SourcePath is not null)
            {
                inputs.Add(new(plan.SourcePath, File.ReadAllBytes(plan.SourcePath)));
            }

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
        var result = DistExchange.TryRun(_options, _compiler, request, preprocessed.Length, plan.RetryLocallyOnError, ref _distDaemonFailed);
        if (result is null)
        {
            return null;
        }

        micros = (long)stopwatch.Elapsed.TotalMicroseconds;
        return result;
    }
}
