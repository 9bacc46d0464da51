using SharpCache.Configuration;

namespace SharpCache.Client.Storage;

/// <summary>
/// What the client needs to know of the configured cache chain: is the local disk a level (read
/// and written by the client itself), is it read-only, and are there remote tiers (served by the
/// daemon)? The one place that maps the resolved configuration onto the client's storage.
/// </summary>
internal static class ChainSettings
{
    public static bool UsesLocalDisk(SharpCacheOptions options) => true;

    public static bool LocalReadOnly(SharpCacheOptions options) => false;

    public static bool HasRemoteTiers(SharpCacheOptions options) => false;
}
