using SharpCache.Configuration;
using SharpCache.Daemon;

namespace SharpCache.DaemonProcess;

/// <summary>
/// Entry point of <c>sharpcache-daemon</c>: the same daemon as <c>sharpcache</c>'s own, plus the
/// remote tiers of the configured chain. Started by a client (<c>SCCACHE_START_SERVER=1</c>) or by
/// hand (<c>SCCACHE_NO_DAEMON=1</c> keeps it in the foreground).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var options = SharpCacheOptions.FromEnvironment();
        if (args is ["--dist-status"])
        {
            return DistStatusCommand.Run(options, Console.Out);
        }

        if (args is ["--dist-auth"])
        {
            return DistAuth.DistAuthCommand.Run(options, Console.Out, Console.Error);
        }

        return DaemonHost.Run(options, RemoteTierFactory.Create, Dist.DistCompilerFactory.Create);
    }
}
