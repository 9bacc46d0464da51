using System.Buffers;

namespace SharpCache.Dist.Protocol;

/// <summary>
/// A toolchain's content id: the hash of its archive file. Wire forms: 64 lowercase hex digits
/// (BLAKE3, sccache-dist's <c>archive_id</c>), <c>blake3:&lt;hex&gt;</c> or <c>sha256:&lt;hex&gt;</c>.
/// Nothing else parses, so an id is always safe in a path.
/// </summary>
public readonly record struct ToolchainId(ToolchainHashAlgorithm Algorithm, string Hex)
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static bool TryParse(string? text, out ToolchainId id)
    {
        id = default;
        if (text is null)
        {
            return false;
        }

        var (algorithm, hex) = text switch
        {
            _ when text.StartsWith("sha256:", StringComparison.Ordinal) => (ToolchainHashAlgorithm.Sha256, text[7..]),
            _ when text.StartsWith("blake3:", StringComparison.Ordinal) => (ToolchainHashAlgorithm.Blake3, text[7..]),
            _ => (ToolchainHashAlgorithm.Blake3, text),
        };
        if (hex.Length != 64 || hex.AsSpan().ContainsAnyExcept(LowerHex))
        {
            return false;
        }

        id = new ToolchainId(algorithm, hex);
        return true;
    }

    /// <summary>Canonical form: plain hex for BLAKE3 (as sccache-dist), <c>sha256:</c> prefixed otherwise.</summary>
    public override string ToString() => Algorithm == ToolchainHashAlgorithm.Blake3 ? Hex : $"sha256:{Hex}";

    /// <summary>A file-name-safe form.</summary>
    public string FileName => Algorithm == ToolchainHashAlgorithm.Blake3 ? $"blake3-{Hex}" : $"sha256-{Hex}";
}
