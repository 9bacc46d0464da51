using System.Diagnostics;
using SharpCache.Client.Storage;
using SharpCache.Configuration;
using SharpCache.Core.Processes;
using SharpCache.Daemon;
using SharpCache.Protocol;

namespace SharpCache.Client;

/// <summary>
/// The one place the real compiler is run for a wrapped call (C/C++ and Rust pipelines alike),
/// and the guard that keeps SharpCache from ever breaking the build: whatever fails inside a
/// pipeline, the compiler runs exactly once with the user's arguments and its exit code stands.
/// </summary>
internal sealed class CompilerProcess
{
    private readonly IProcessRunner _runner;
    private bool _started;
    private int? _exitCode;

    public CompilerProcess(IProcessRunner runner) => _runner = runner;

    /// <summary>Sends the stats record on a daemon connection the compile already holds; false (or unset): a new connection.</summary>
    public Func<CompileRecord, bool>? RecordChannel { get; set; }

    /// <summary>Runs <paramref name="pipeline"/>, then sends its stats record to the daemon (fire-and-forget).</summary>
    public int Guard(SharpCacheOptions options, string executable, string[] arguments, string workingDirectory, CompileRecord errorRecord, Func<(int ExitCode, CompileRecord Record)> pipeline)
    {
        CompileRecord record;
        int exitCode;
        try
        {
            (exitCode, record) = pipeline();
        }
#pragma warning disable CA1031 // The wrapper must never break the build: any internal failure falls back to the plain compile.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diagnostics.Write($"internal error: {ex.GetType().Name}: {ex.Message}");
            record = errorRecord;

            // If the compile already ran and its output was passed on, its exit code stands.
            exitCode = _started ? _exitCode ?? 2 : _runner.RunInherited(executable, arguments, workingDirectory);
        }

        if (record.Outcome == CompileOutcome.CacheHit && TieredCacheStore.ServedRemoteHit)
        {
            record = record with { RemoteHit = true };
        }

        if (RecordChannel?.Invoke(record) != true)
        {
            DaemonClient.RecordCompile(options, record);
        }

        return exitCode;
    }

    /// <summary>Runs the compiler with the caller's stdio (uncacheable calls).</summary>
    public int RunInherited(string executable, string[] arguments, string workingDirectory)
    {
        _started = true;
        var exitCode = _runner.RunInherited(executable, arguments, workingDirectory);
        _exitCode = exitCode;
        return exitCode;
    }

    /// <summary>
    /// Runs the compiler, passing its stdout and stderr on as they arrive while keeping a copy for
    /// the cache (a tee: cargo starts dependent crates on rustc's "metadata ready" message, long
    /// before rustc exits).
    /// </summary>
    public ProcessResult RunTee(string executable, string[] arguments, string workingDirectory, out long micros)
    {
        var stopwatch = Stopwatch.StartNew();
        _started = true;
        var result = _runner.RunTee(executable, arguments, workingDirectory);
        _exitCode = result.ExitCode;
        micros = (long)stopwatch.Elapsed.TotalMicroseconds;
        return result;
    }

    /// <summary>The compile ran elsewhere (a build server) and its output was passed on: its exit code stands.</summary>
    public void CompletedElsewhere(int exitCode)
    {
        _started = true;
        _exitCode = exitCode;
    }
}
