using SharpCache.Configuration;
using SharpCache.Daemon;
using SharpCache.Storage;
using SharpCache.Storage.Disk;

namespace SharpCache.Client.Storage;

/// <summary>Opens what a compile reads and writes, per the configured chain.</summary>
internal static class CacheStores
{
    public static ICacheStore Open(SharpCacheOptions options)
    {
        var disk = ChainSettings.UsesLocalDisk(options) ? new DiskStorage(options.CacheDirectory, options.MaxCacheSize) : null;
        if (!ChainSettings.HasRemoteTiers(options))
        {
            return disk is not null && !ChainSettings.LocalReadOnly(options)
                ? disk
                : new TieredCacheStore(disk, diskReadOnly: true, remote: null);
        }

        return new TieredCacheStore(disk, ChainSettings.LocalReadOnly(options), new RemoteTierClient(options, DaemonLauncher.TrySpawn));
    }
}
