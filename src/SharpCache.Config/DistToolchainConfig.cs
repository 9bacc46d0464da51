namespace SharpCache.Config;

/// <summary>
/// One <c>[[dist.toolchains]]</c> entry: <see cref="PathOverrideToolchain"/> or <see cref="NoDistToolchain"/>.
/// A compiler appears at most once across all entries (checked on load).
/// </summary>
public abstract record DistToolchainConfig(string CompilerExecutable)
{
    /// <summary>The <c>type</c> value of this case.</summary>
    public abstract string Type { get; }
}
