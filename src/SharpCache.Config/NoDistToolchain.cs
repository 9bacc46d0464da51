namespace SharpCache.Config;

/// <summary><c>type = "no_dist"</c>: never distribute compiles of this compiler.</summary>
public sealed record NoDistToolchain(string CompilerExecutable) : DistToolchainConfig(CompilerExecutable)
{
    public override string Type => "no_dist";
}
