using SharpCache.Configuration;
using SharpCache.Daemon;

namespace SharpCache.DaemonProcess;

/// <summary>Builds the remote tiers of the configured chain (none when the chain is the local disk alone).</summary>
internal static class RemoteTierFactory
{
    public static IRemoteTiers? Create(SharpCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return null;
    }
}
