namespace SharpCache.Core.Compilers.Detection;

/// <summary>
/// What a compiler binary is: its family, version and content digest. Two compilers with the
/// same identity produce the same outputs from the same inputs.
/// </summary>
/// <param name="ExecutablePath">The path that is executed (as found on PATH).</param>
/// <param name="Family">gcc or clang dialect.</param>
/// <param name="Version">The compiler's <c>__VERSION__</c> string.</param>
/// <param name="Digest">BLAKE3 of the resolved executable file.</param>
public sealed record CompilerIdentity(string ExecutablePath, CompilerFamily Family, string Version, string Digest)
{
    /// <summary>A C++ driver (g++, clang++, c++): compiles <c>.c</c> files as C++ and links libstdc++.</summary>
    public bool IsCxxDriver { get; init; }

    /// <summary>Short name for the advanced stats, e.g. <c>gcc</c> or <c>clang</c>.</summary>
    public string FamilyName => Family == CompilerFamily.Clang ? "clang" : "gcc";
}
