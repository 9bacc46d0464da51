using SharpCache.Configuration;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary><c>sharpcache --dist-auth</c>, run as <c>sharpcache-daemon --dist-auth</c>: the browser sign-in for <c>[dist.auth]</c>.</summary>
internal static class DistAuthCommand
{
    public static int Run(SharpCacheOptions options, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.WriteLine("sharpcache: --dist-auth is not supported yet");
        return 2;
    }
}
