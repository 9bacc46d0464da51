using SharpCache.Client.Storage;
using SharpCache.Configuration;
using SharpCache.Daemon;
using SharpCache.Protocol;
using SharpCache.Storage.Disk;

namespace SharpCache.Stats;

/// <summary>Builds the <see cref="ServerInfo"/> the daemon reports (and <c>-s</c> prints when no daemon runs).</summary>
internal static class ServerInfoFactory
{
    /// <summary>The daemon's view: its counters plus the chain (local disk level from client records, remote tiers from <paramref name="remote"/>).</summary>
    public static ServerInfo Create(StatsAggregator stats, SharpCacheOptions options, IRemoteTiers? remote)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(options);
        var info = Create(stats.Snapshot(), options);
        if (remote is null)
        {
            return info;
        }

        var remoteLevels = remote.Snapshot();
        var levels = new List<CacheLevelInfo>(remoteLevels.Count + 1);
        if (ChainSettings.UsesLocalDisk(options))
        {
            var (hits, misses, hitNanos) = stats.LocalLevel();
            levels.Add(new CacheLevelInfo
            {
                Name = "disk",
                Location = options.CacheDirectory,
                ReadOnly = ChainSettings.LocalReadOnly(options),
                Hits = hits,
                Misses = misses,
                HitNanos = hitNanos,
            });
        }

        levels.AddRange(remoteLevels);
        var location = string.Join(", ", levels.Select(l => l.Name == "disk" ? "Local disk: \"" + l.Location + "\"" : l.Location));
        return info with
        {
            Levels = levels,
            CacheLocation = levels.Count > 1 ? "Multi-level: " + location : location,
            CacheSize = ChainSettings.UsesLocalDisk(options) ? info.CacheSize : null,
            MaxCacheSize = ChainSettings.UsesLocalDisk(options) ? info.MaxCacheSize : null,
        };
    }

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
