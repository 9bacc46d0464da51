using System.Diagnostics;
using SharpCache.Core.Compilers.Rust;
using SharpCache.Core.Processes;

namespace SharpCache.Client.Rust;

/// <summary>A rustc miss compiled on the build cluster through the daemon, or (on any failure there) not at all: the caller compiles locally.</summary>
internal sealed partial class RustPipeline
{
    private ProcessResult? TryRunDistributed(string executable, string[] arguments, RustCompileContext context, string depInfoText, ref bool daemonFailed, out long micros)
    {
        var stopwatch = Stopwatch.StartNew();
        micros = 0;
        if (RustDepInfo.Parse(depInfoText) is not { } depInfo
            || RustDistPlan.For(context, depInfo, arguments, Environment.GetEnvironmentVariables()) is not { } plan
            || plan.ToRequest(context.Rustc.ExecutablePath, executable, context.WorkingDirectory, arguments, out var size) is not { } request)
        {
            return null;
        }

        try
        {
            // rustc creates its --out-dir; the outputs are written here after the job.
            Directory.CreateDirectory(context.OutDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var result = DistExchange.TryRun(_options, _compiler, request, (int)Math.Min(size, int.MaxValue - 8192), retryLocallyOnError: false, ref daemonFailed);
        micros = (long)stopwatch.Elapsed.TotalMicroseconds;
        return result;
    }
}
