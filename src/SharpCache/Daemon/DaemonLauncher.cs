using System.ComponentModel;
using System.Diagnostics;
using SharpCache.Configuration;
using SharpCache.Logging;

namespace SharpCache.Daemon;

/// <summary>Auto-start: runs our own executable with <c>SCCACHE_START_SERVER=1</c>.</summary>
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
        _ = options; // The daemon reads the same environment we did.
        var exe = Environment.ProcessPath;
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
}
