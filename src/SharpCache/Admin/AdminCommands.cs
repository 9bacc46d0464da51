using System.Diagnostics;
using SharpCache.Configuration;
using SharpCache.Daemon;
using SharpCache.Protocol;
using SharpCache.Stats;

namespace SharpCache.Admin;

/// <summary>sccache-compatible admin verbs: -s, -z, --start-server, --stop-server, ...</summary>
internal static class AdminCommands
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ServerStartTimeout = TimeSpan.FromSeconds(10);

    public static int Run(string[] args, SharpCacheOptions options) =>
        Run(args, options, Console.Out, Console.Error, DaemonLauncher.TrySpawn);

    /// <summary>Testable core: output writers and the daemon launcher are injected.</summary>
    internal static int Run(string[] args, SharpCacheOptions options, TextWriter stdout, TextWriter stderr, Func<SharpCacheOptions, bool> launcher)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var invocation = AdminArgumentParser.Parse(args);
        if (invocation.Error is not null)
        {
            stderr.WriteLine("sharpcache: error: " + invocation.Error);
            stderr.WriteLine();
            PrintUsage(stderr);
            return 2;
        }

        // A broken config file: one line per problem (file, key, reason), exit 2. Stopping a daemon
        // and asking for help or the version still work.
        if (options.ConfigErrors.Count > 0)
        {
            foreach (var error in options.ConfigErrors)
            {
                stderr.WriteLine("sharpcache: error: " + error);
            }

            if (invocation.Verb is not (AdminVerb.StopServer or AdminVerb.Help or AdminVerb.Version))
            {
                return 2;
            }

            var result = Dispatch(args, invocation, options, stdout, stderr, launcher);
            return result == 0 ? 2 : result;
        }

        return Dispatch(args, invocation, options, stdout, stderr, launcher);
    }

    private static int Dispatch(string[] args, AdminInvocation invocation, SharpCacheOptions options, TextWriter stdout, TextWriter stderr, Func<SharpCacheOptions, bool> launcher)
    {
        return invocation.Verb switch
        {
            AdminVerb.ShowStats => ShowStats(options, invocation.Format, advanced: false, stdout, stderr),
            AdminVerb.ShowAdvStats => ShowStats(options, invocation.Format, advanced: true, stdout, stderr),
            AdminVerb.ZeroStats => ZeroStats(options, stderr, launcher),
            AdminVerb.StartServer => StartServer(options, stdout, stderr, launcher),
            AdminVerb.StopServer => StopServer(options, invocation.Format, stdout, stderr),
            AdminVerb.DistStatus => DistStatus(options, stdout),
            AdminVerb.Version => Print(stdout, "sharpcache " + ProductVersion.Value),
            AdminVerb.Help => PrintHelp(stdout),
            AdminVerb.PackageToolchain => PackageToolchainCommand.Run(args, stderr),
            AdminVerb.DistAuth => DistAuth(stderr),
            _ => NotSupported(stderr, "this action"),
        };
    }

    /// <summary>
    /// <c>--dist-auth</c>: the browser sign-in runs in <c>sharpcache-daemon --dist-auth</c> (it needs an HTTP client and
    /// listener), which writes to this process's stdout and stderr.
    /// </summary>
    private static int DistAuth(TextWriter stderr)
    {
        var daemon = DaemonLauncher.DaemonExecutable(needsFullDaemon: true);
        if (daemon is null || (Path.GetFileName(daemon) != DaemonLauncher.DaemonFileName && Environment.GetEnvironmentVariable("SHARPCACHE_DAEMON") is null))
        {
            stderr.WriteLine("sharpcache: error: --dist-auth needs sharpcache-daemon installed next to sharpcache");
            return 2;
        }

        try
        {
            var info = new ProcessStartInfo(daemon) { UseShellExecute = false };
            info.ArgumentList.Add("--dist-auth");
            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            stderr.WriteLine("sharpcache: error: cannot run sharpcache-daemon --dist-auth: " + e.Message);
            return 2;
        }
    }

    /// <summary>
    /// <c>--dist-status</c>: Disabled without a scheduler; otherwise <c>sharpcache-daemon --dist-status</c> asks the
    /// scheduler (an HTTP client would double this binary's size).
    /// </summary>
    private static int DistStatus(SharpCacheOptions options, TextWriter stdout)
    {
        var address = options.Dist?.SchedulerAddress;
        if (address is null)
        {
            stdout.WriteLine("{\"Disabled\":\"disabled\"}");
            return 0;
        }

        var quoted = "\"" + System.Text.Json.JsonEncodedText.Encode(address) + "\"";
        var daemon = DaemonLauncher.DaemonExecutable(needsFullDaemon: true);
        if (daemon is null || (Path.GetFileName(daemon) != DaemonLauncher.DaemonFileName && Environment.GetEnvironmentVariable("SHARPCACHE_DAEMON") is null))
        {
            stdout.WriteLine("{\"NotConnected\":[" + quoted + ",\"sharpcache-daemon is not installed next to sharpcache\"]}");
            return 0;
        }

        try
        {
            var info = new ProcessStartInfo(daemon) { UseShellExecute = false, RedirectStandardOutput = true };
            info.ArgumentList.Add("--dist-status");
            using var process = Process.Start(info)!;
            stdout.Write(process.StandardOutput.ReadToEnd());
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            stdout.WriteLine("{\"NotConnected\":[" + quoted + ",\"cannot run sharpcache-daemon\"]}");
            return 0;
        }
    }

    public static void PrintUsage(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("""
            Usage: sharpcache [OPTIONS] <--show-stats|--show-adv-stats|--zero-stats|--start-server|--stop-server|--dist-status|CMD>
                   sharpcache <compiler> [compiler args...]

            Options:
              -s, --show-stats                     show cache statistics
                  --show-adv-stats                 show cache statistics per language and compiler
                  --stats-format <FMT>             output format of statistics: text (default) or json
              -z, --zero-stats                     zero statistics counters (starts the server if needed)
                  --start-server                   start the background server
                  --stop-server                    stop the background server (prints final statistics)
                  --dist-status                    show the status of the distributed client
                  --dist-auth                      sign in for distributed compilation ([dist.auth] OAuth2 browser flow)
                  --package-toolchain <EXE> <OUT>  package a compiler and its libraries (tar.gz) for distributed compilation
              -h, --help                           print help
              -V, --version                        print version

            Environment:
              SCCACHE_DIR                cache directory (default ~/.cache/sharpcache)
              SCCACHE_CACHE_SIZE         maximum cache size, e.g. 10G (default 10G)
              SCCACHE_CACHE_ZSTD_LEVEL   zstd level 1-22 for new entries (default 3)
              SCCACHE_DIRECT             direct (preprocessor cache) mode, true/false (default true)
              SCCACHE_RECACHE            if set: recompile and overwrite cached entries
              SHARPCACHE_DIRECT_CPP      0 = run gcc's preprocessor through the driver, not cc1 directly (default 1)
              SHARPCACHE_DIST_STREAM     0 = send a remote compile after preprocessing, not ahead with its text streaming (default 1)
              SCCACHE_NO_CACHE           if set: compile without cache lookup or store
              SCCACHE_SERVER_UDS         server Unix socket (default $XDG_RUNTIME_DIR/sharpcache/server.sock)
              SCCACHE_SERVER_PORT        use loopback TCP on this port instead of the Unix socket
              SCCACHE_IDLE_TIMEOUT       seconds without requests before the server exits; 0 = never (default 600)
              SCCACHE_MAX_FRAME_LENGTH   largest message the server accepts, bytes (default 8 MiB)
              SCCACHE_NO_DAEMON          1 = keep the server in the foreground, logging to stderr
              SCCACHE_START_SERVER       1 (with no arguments) = run as the server (internal)
              SCCACHE_LOG                log filter: error, warn, info, debug, trace (or sharpcache=debug)
              SCCACHE_ERROR_LOG          file the server appends its log and errors to
            """);
    }

    private static int ShowStats(SharpCacheOptions options, StatsFormat format, bool advanced, TextWriter stdout, TextWriter stderr)
    {
        // Like sccache: -s never starts a daemon; with none running it shows zeroed counters.
        var status = DaemonClient.Request(options, MessageType.GetStats, launcher: null, RequestTimeout, out var response);
        ServerInfo info;
        if (status == DaemonRequestStatus.NotRunning)
        {
            info = ServerInfoFactory.Create(StatsSnapshot.Empty, options);
        }
        else if (status == DaemonRequestStatus.Ok && response!.Info is not null)
        {
            info = response.Info;
        }
        else
        {
            return Fail(stderr, "couldn't get stats from the server at " + DaemonEndpoint.Describe(options), response);
        }

        WriteStats(stdout, info, format, advanced);
        return 0;
    }

    private static int ZeroStats(SharpCacheOptions options, TextWriter stderr, Func<SharpCacheOptions, bool> launcher)
    {
        var status = DaemonClient.Request(options, MessageType.ZeroStats, launcher, RequestTimeout, out var response);
        if (status != DaemonRequestStatus.Ok || response!.Type != MessageType.ZeroStatsAck)
        {
            return Fail(stderr, "couldn't zero stats on the server at " + DaemonEndpoint.Describe(options), response);
        }

        stderr.WriteLine("Statistics zeroed.");
        return 0;
    }

    private static int StartServer(SharpCacheOptions options, TextWriter stdout, TextWriter stderr, Func<SharpCacheOptions, bool> launcher)
    {
        var address = DaemonEndpoint.Describe(options);
        if (Ping(options, TimeSpan.FromSeconds(1)))
        {
            // sccache fails here ("Address in use"); an already running server is what was asked for.
            stdout.WriteLine("sharpcache: Server is already running on " + address);
            return 0;
        }

        stdout.WriteLine("sharpcache: Starting the server...");
        stdout.Flush();
        if (!launcher(options))
        {
            return Fail(stderr, "could not start the server", null);
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ServerStartTimeout)
        {
            if (Ping(options, TimeSpan.FromSeconds(1)))
            {
                stdout.WriteLine("sharpcache: Listening on address " + address);
                return 0;
            }

            Thread.Sleep(20);
        }

        return Fail(stderr, "timed out waiting for the server to start on " + address, null);
    }

    private static int StopServer(SharpCacheOptions options, StatsFormat format, TextWriter stdout, TextWriter stderr)
    {
        var status = DaemonClient.Request(options, MessageType.Shutdown, launcher: null, RequestTimeout, out var response);
        if (status == DaemonRequestStatus.NotRunning)
        {
            stderr.WriteLine("sharpcache: error: couldn't connect to server");
            stderr.WriteLine("sharpcache: caused by: no server is running on " + DaemonEndpoint.Describe(options));
            return 2;
        }

        if (status != DaemonRequestStatus.Ok || response!.Info is null)
        {
            return Fail(stderr, "couldn't stop the server at " + DaemonEndpoint.Describe(options), response);
        }

        stdout.WriteLine("Stopping sharpcache server...");
        WriteStats(stdout, response.Info, format, advanced: false);
        return 0;
    }

    private static bool Ping(SharpCacheOptions options, TimeSpan timeout) =>
        DaemonClient.Request(options, MessageType.Ping, launcher: null, timeout, out var response) == DaemonRequestStatus.Ok
        && response!.Type == MessageType.Pong;

    private static void WriteStats(TextWriter stdout, ServerInfo info, StatsFormat format, bool advanced)
    {
        if (format == StatsFormat.Json)
        {
            stdout.WriteLine(StatsJsonWriter.ToJson(info));
        }
        else
        {
            stdout.Write(StatsTextFormatter.Format(info, advanced));
        }
    }

    private static int Fail(TextWriter stderr, string message, DaemonResponse? response)
    {
        stderr.WriteLine("sharpcache: error: " + message);
        if (response is { Type: MessageType.Error, Text: { } text })
        {
            stderr.WriteLine("sharpcache: caused by: " + text);
        }

        return 2;
    }

    private static int NotSupported(TextWriter stderr, string flag)
    {
        stderr.WriteLine("sharpcache: error: " + flag + " is not supported yet");
        return 2;
    }

    private static int Print(TextWriter stdout, string line)
    {
        stdout.WriteLine(line);
        return 0;
    }

    private static int PrintHelp(TextWriter stdout)
    {
        PrintUsage(stdout);
        return 0;
    }
}
