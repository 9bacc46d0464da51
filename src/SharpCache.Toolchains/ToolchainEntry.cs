namespace SharpCache.Toolchains;

/// <summary>One archive member: a regular file copied from <see cref="HostPath"/>, or a symlink with a relative <see cref="LinkTarget"/>.</summary>
internal sealed record ToolchainEntry(string? HostPath, string? LinkTarget);
