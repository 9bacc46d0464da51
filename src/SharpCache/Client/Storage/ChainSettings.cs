using SharpCache.Configuration;

namespace SharpCache.Client.Storage;

/// <summary>
/// What the client needs to know of the configured cache chain: is the local disk a level (read
/// and written by the client itself), is it read-only, and are there remote tiers (served by the
/// daemon)? Options built without a resolved chain (tests) mean the local disk alone.
/// </summary>
internal static class ChainSettings
{
    public static bool UsesLocalDisk(SharpCacheOptions options) => options.Storage is null || options.Storage.IncludesDisk;

    public static bool LocalReadOnly(SharpCacheOptions options) => options.LocalReadOnly;

    public static bool HasRemoteTiers(SharpCacheOptions options) => options.Storage is { HasRemote: true };

    /// <summary>Remote tiers or a build cluster: only <c>sharpcache-daemon</c> serves those.</summary>
    public static bool NeedsFullDaemon(SharpCacheOptions options) => HasRemoteTiers(options) || options.Dist?.SchedulerAddress is not null;
}
