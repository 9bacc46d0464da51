using System.Text.Json.Serialization;

namespace SharpCache.Config;

/// <summary>The <c>[dist]</c> table of the cached config.</summary>
internal sealed class CachedDistDocument
{
    [JsonPropertyName("auth_tokens")]
    public Dictionary<string, string> AuthTokens { get; set; } = new(StringComparer.Ordinal);
}
