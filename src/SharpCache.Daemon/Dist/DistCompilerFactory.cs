using SharpCache.Config;
using SharpCache.Configuration;
using SharpCache.Daemon;

namespace SharpCache.DaemonProcess.Dist;

/// <summary>Builds the daemon's <see cref="DistCompiler"/> from <c>[dist]</c>; none without a <c>scheduler_url</c>.</summary>
internal static class DistCompilerFactory
{
    public static IDistCompiler? Create(SharpCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dist = options.Dist;
        if (dist?.SchedulerUrl is null)
        {
            return null;
        }

        var bearer = DistTokens.ForScheduler(dist, Environment.GetEnvironmentVariable, File.Exists, out var problem);
        return new DistCompiler(dist, bearer, problem);
    }
}
