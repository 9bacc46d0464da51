using SharpCache.Configuration;
using SharpCache.Daemon;
using SharpCache.Protocol;
using SharpCache.Storage.Disk;

namespace SharpCache.Stats;

/// <summary>Builds the <see cref="ServerInfo"/> the daemon reports (and <c>-s</c> prints when no daemon runs).</summary>
internal static class ServerInfoFactory
{
    public static ServerInfo Create(StatsSnapshot stats, SharpCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ServerInfo
        {
            Stats = stats,
            CacheLocation = "Local disk: \"" + options.CacheDirectory + "\"",
            CacheSize = TryGetCacheSize(options),
            MaxCacheSize = options.MaxCacheSize,
            UsePreprocessorCacheMode = IsDirectModeOn(Environment.GetEnvironmentVariable("SCCACHE_DIRECT")),
            Version = ProductVersion.Value,
        };
    }

    /// <summary><c>SCCACHE_DIRECT</c>: direct mode is on unless set to a false-like value.</summary>
    internal static bool IsDirectModeOn(string? value) =>
        value is null || !(value.Equals("false", StringComparison.OrdinalIgnoreCase)
            || value == "0"
            || value.Equals("off", StringComparison.OrdinalIgnoreCase)
            || value.Equals("no", StringComparison.OrdinalIgnoreCase));

    private static long? TryGetCacheSize(SharpCacheOptions options)
    {
        try
        {
            return new DiskStorage(options.CacheDirectory, options.MaxCacheSize).CurrentSize();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
