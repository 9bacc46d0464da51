namespace SharpCache.Config;

/// <summary>
/// <c>type = "path_override"</c>: send <see cref="Archive"/> (a tar.gz or tar.xz) as the toolchain of the local
/// compiler <see cref="DistToolchainConfig.CompilerExecutable"/>, running <see cref="ArchiveCompilerExecutable"/> inside it.
/// </summary>
public sealed record PathOverrideToolchain(string CompilerExecutable, string Archive, string ArchiveCompilerExecutable)
    : DistToolchainConfig(CompilerExecutable)
{
    public override string Type => "path_override";
}
