namespace SharpCache.Dist.Protocol;

/// <summary>Hash of a toolchain archive that makes its <see cref="ToolchainId"/>.</summary>
public enum ToolchainHashAlgorithm
{
    Blake3,
    Sha256,
}
