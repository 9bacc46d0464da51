namespace SharpCache.Admin;

/// <summary>The one action an admin command line asks for.</summary>
internal enum AdminVerb
{
    ShowStats,
    ShowAdvStats,
    ZeroStats,
    StartServer,
    StopServer,
    DistStatus,
    DistAuth,
    PackageToolchain,
    Version,
    Help,
}
