namespace SharpCache.Dist.Config;

/// <summary>
/// <c>[builder]</c> in server.conf. Both types run jobs under bubblewrap with the toolchain read-only
/// and a fresh writable job tree. <c>overlay</c> is accepted for sccache-dist configs and needs root
/// (as sccache-dist's does); <c>bubblewrap</c> is ours and needs no overlayfs. <see cref="BuildDir"/>
/// is deleted and recreated at startup.
/// </summary>
public sealed record BuilderConfig
{
    public required BuilderType Type { get; init; }

    /// <summary>The bubblewrap executable (<c>bwrap_path</c>; default <c>bwrap</c> from PATH).</summary>
    public string BwrapPath { get; init; } = "bwrap";

    /// <summary>Scratch space for jobs (<c>build_dir</c>).</summary>
    public required string BuildDir { get; init; }

    internal static BuilderConfig Read(TomlSection section, string defaultBuildDir)
    {
        var type = section.RequiredString("type");
        var builderType = type switch
        {
            "overlay" => BuilderType.Overlay,
            "bubblewrap" => BuilderType.Bubblewrap,
            "docker" or "pot" => throw section.Error("type", $"builder type '{type}' is not supported by sharpcache-dist; use \"bubblewrap\" (no overlayfs needed) or \"overlay\""),
            _ => throw section.Error("type", $"unknown builder type '{type}' (expected \"bubblewrap\" or \"overlay\")"),
        };
        var config = new BuilderConfig
        {
            Type = builderType,
            BwrapPath = section.OptionalString("bwrap_path") ?? "bwrap",
            BuildDir = section.OptionalString("build_dir") ?? defaultBuildDir,
        };
        section.RejectUnknownKeys();
        return config;
    }
}
