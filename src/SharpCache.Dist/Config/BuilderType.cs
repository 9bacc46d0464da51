namespace SharpCache.Dist.Config;

/// <summary>The sandbox kinds a build server can run jobs in.</summary>
public enum BuilderType
{
    /// <summary>sccache-dist's name: bubblewrap, run as root.</summary>
    Overlay,

    /// <summary>bubblewrap with bind mounts only (no overlayfs).</summary>
    Bubblewrap,
}
