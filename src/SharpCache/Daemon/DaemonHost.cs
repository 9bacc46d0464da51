using SharpCache.Configuration;

namespace SharpCache.Daemon;

/// <summary>Runs the per-user daemon (started with <c>SCCACHE_START_SERVER=1</c>).</summary>
internal static class DaemonHost
{
    public static int Run(SharpCacheOptions options)
    {
        _ = options;
        return 2;
    }
}
