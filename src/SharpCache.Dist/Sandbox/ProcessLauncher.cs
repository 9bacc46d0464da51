using System.Collections.Concurrent;
using System.Diagnostics;

namespace SharpCache.Dist.Sandbox;

/// <summary>
/// Starts processes from one dedicated thread that lives as long as the server. bubblewrap's
/// <c>--die-with-parent</c> uses <c>PR_SET_PDEATHSIG</c>, which fires when the <em>thread</em> that
/// forked it exits, not the process: started from a thread-pool thread, a sandbox is SIGKILLed
/// whenever the pool retires that thread.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource<bool> Started)> Requests = [];

    static ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "sharpcache-dist process launcher" };
        thread.Start();
    }

    /// <summary>Starts <paramref name="process"/> on the launcher thread; throws what <see cref="Process.Start()"/> throws.</summary>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    /// <summary>Runs a short command on the launcher thread (30 s at most): its exit code (-1 if it cannot start) and its stdout and stderr.</summary>
    public static async Task<(int Code, string Output)> RunQuickAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = new Process { StartInfo = start };
            await StartAsync(process).ConfigureAwait(false);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    private static void Run()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult(true);
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
