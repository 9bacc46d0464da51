using System.Runtime.InteropServices;
using SharpCache.Configuration;
using SharpCache.Logging;

namespace SharpCache.Daemon;

/// <summary>Runs the per-user daemon (started with <c>SCCACHE_START_SERVER=1</c>).</summary>
internal static class DaemonHost
{
    public static int Run(SharpCacheOptions options) => Run(options, remoteFactory: null, distFactory: null);

    /// <summary>
    /// Runs the daemon; <paramref name="remoteFactory"/> (from <c>sharpcache-daemon</c>) builds the
    /// remote tiers before the socket is bound, so the first lookup already finds them; a daemon
    /// that loses the start race disposes them unused.
    /// </summary>
    public static int Run(SharpCacheOptions options, Func<SharpCacheOptions, IRemoteTiers?>? remoteFactory, Func<SharpCacheOptions, IDistCompiler?>? distFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var foreground = Environment.GetEnvironmentVariable("SCCACHE_NO_DAEMON") == "1";
        if (!foreground)
        {
            ProcessDetacher.Detach(options.ErrorLogPath);
        }

        // Detached, stderr already is the error log (or /dev/null); in the foreground it is the terminal.
        Log.Configure(options.LogFilter, filePath: null);

        var remote = remoteFactory?.Invoke(options);
        var dist = distFactory?.Invoke(options);
        var server = new DaemonServer(options, remote: remote, dist: dist);
        var result = server.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (result != DaemonStartResult.Started)
        {
            remote?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            dist?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        switch (result)
        {
            case DaemonStartResult.AlreadyRunning:
                // Lost the start race to another client's daemon: that one serves everybody.
                Log.Debug("a daemon is already running on " + DaemonEndpoint.Describe(options));
                return 0;
            case DaemonStartResult.Failed:
                Console.Error.WriteLine("sharpcache: error: could not start the server on " + DaemonEndpoint.Describe(options));
                return 2;
            default:
                break;
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, server));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, server));
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // Detached there is no terminal to hang up; in the foreground, stop cleanly.
            if (foreground)
            {
                Stop(context, server);
            }
            else
            {
                context.Cancel = true;
            }
        });
        server.Completion.GetAwaiter().GetResult();
        remote?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        dist?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    private static void Stop(PosixSignalContext context, DaemonServer server)
    {
        // Cancel the default (immediate exit) so the socket file is removed on the way out.
        context.Cancel = true;
        server.RequestStop(DaemonStopReason.Requested);
    }
}
