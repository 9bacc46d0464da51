namespace SharpCache.Toolchains;

/// <summary>A toolchain archive in a <see cref="ToolchainCache"/>: its description, its file, and whether it was already there.</summary>
public sealed record CachedToolchain(ToolchainArchive Archive, string ArchivePath, bool Hit);
