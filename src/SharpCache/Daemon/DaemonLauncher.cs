using System.ComponentModel;
using System.Diagnostics;
using SharpCache.Client.Storage;
using SharpCache.Configuration;
using SharpCache.Logging;

namespace SharpCache.Daemon;

/// <summary>
/// Auto-start with <c>SCCACHE_START_SERVER=1</c>. With remote tiers configured: <c>sharpcache-daemon</c>
/// (a JIT program holding the cloud SDKs), installed next to this executable or named by
/// <c>SHARPCACHE_DAEMON</c>. Otherwise our own NativeAOT executable, which starts in milliseconds
/// and serves stats and admin verbs for a local-disk cache.
/// </summary>
internal static class DaemonLauncher
{
    /// <summary>
    /// Spawns the daemon without waiting for it. Its stdio are pipes whose parent ends are closed
    /// at once (and the daemon re-points them at /dev/null), so it never inherits — and never
    /// holds open — the stdout/stderr pipes of a make or ninja that is waiting for EOF.
    /// The working directory is <c>/</c> so the daemon does not pin the build tree.
    /// </summary>
    public static bool TrySpawn(SharpCacheOptions options)
    {
        var exe = DaemonExecutable(ChainSettings.NeedsFullDaemon(options));
        if (string.IsNullOrEmpty(exe))
        {
            return false;
        }

        try
        {
            var info = new ProcessStartInfo(exe)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = "/",
            };
            info.Environment["SCCACHE_START_SERVER"] = "1";
            using var process = Process.Start(info);
            if (process is null)
            {
                return false;
            }

            process.StandardInput.Close();
            process.StandardOutput.Close();
            process.StandardError.Close();
            return true;
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            Log.Warn("could not start the daemon: " + e.Message);
            return false;
        }
    }

    /// <summary>File name of the full daemon, installed beside <c>sharpcache</c>.</summary>
    public const string DaemonFileName = "sharpcache-daemon";

    /// <summary><c>SHARPCACHE_DAEMON</c>, else (when the full daemon is needed) <c>sharpcache-daemon</c> beside this executable, else this executable.</summary>
    public static string? DaemonExecutable(bool needsFullDaemon)
    {
        var configured = Environment.GetEnvironmentVariable("SHARPCACHE_DAEMON");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var self = Environment.ProcessPath;
        if (string.IsNullOrEmpty(self))
        {
            return null;
        }

        if (!needsFullDaemon)
        {
            return self;
        }

        var sibling = Path.Combine(Path.GetDirectoryName(self) ?? "/", DaemonFileName);
        if (File.Exists(sibling))
        {
            return sibling;
        }

        Log.Warn(DaemonFileName + " is not installed next to " + self + ": remote cache tiers are unavailable");
        return self;
    }
}
