using Microsoft.Extensions.Logging;
using SharpCache.Dist.Config;
using SharpCache.Dist.Http;
using SharpCache.Dist.Scheduler;
using SharpCache.Dist.Server;

namespace SharpCache.Dist.Cli;

/// <summary><c>sharpcache-dist scheduler|server --config F [--syslog LEVEL]</c>: load the config (exit 2 on error) and serve until Ctrl-C/SIGTERM.</summary>
internal static class RoleCommand
{
    public const string Usage = """
        usage: sharpcache-dist scheduler --config <PATH> [--syslog <error|warn|info|debug|trace>]
               sharpcache-dist server --config <PATH> [--syslog <error|warn|info|debug|trace>]
        Logging: SCCACHE_LOG=<error|warn|info|debug|trace> (default info).
        """;

    /// <summary>The runtime's switch for running socket continuations on the socket event thread (Linux).</summary>
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> RunAsync(string role, string[] args, TextWriter stderr)
    {
        var options = CommandLine.ParseOptions(args, out var error);
        if (options is null || !options.TryGetValue("--config", out var path) || options.Keys.Any(k => k is not ("--config" or "--syslog")))
        {
            stderr.WriteLine($"sharpcache-dist: {error ?? "--config <PATH> is required"}");
            stderr.WriteLine(Usage);
            return 2;
        }

        var levelText = options.GetValueOrDefault("--syslog") ?? Environment.GetEnvironmentVariable("SCCACHE_LOG") ?? "info";
        if (ParseLevel(levelText) is not { } level)
        {
            stderr.WriteLine($"sharpcache-dist: unknown log level '{levelText}'");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        var hostOptions = new DistHostOptions { LogLevel = level };
        try
        {
            if (role == "scheduler")
            {
                await SchedulerHost.RunAsync(SchedulerConfig.Load(path), hostOptions, stop.Token).ConfigureAwait(false);
            }
            else
            {
                // The runtime's sockets complete on their event thread too (read once, before the first socket: set here,
                // not in BuildServerHost, which tests embed in a process that does more). An explicit setting wins.
                if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
                {
                    Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
                }

                await BuildServerHost.RunAsync(ServerConfig.Load(path), hostOptions, stop.Token).ConfigureAwait(false);
            }

            return 0;
        }
        catch (ConfigException e)
        {
            stderr.WriteLine($"sharpcache-dist: {e.Message}");
            return 2;
        }
        catch (DistStartupException e)
        {
            stderr.WriteLine($"sharpcache-dist: {e.Message}");
            return 1;
        }
    }

    private static LogLevel? ParseLevel(string text) => text.ToLowerInvariant() switch
    {
        "error" => LogLevel.Error,
        "warn" or "warning" => LogLevel.Warning,
        "info" => LogLevel.Information,
        "debug" => LogLevel.Debug,
        "trace" => LogLevel.Trace,
        _ when text.Contains('=', StringComparison.Ordinal) => LogLevel.Debug,
        _ => null,
    };
}
