using System.Text.Json.Serialization;

namespace SharpCache.Config;

/// <summary>The cached config's TOML shape, for Tomlyn's source-generated writer (<see cref="CachedConfigTomlContext"/>).</summary>
internal sealed class CachedConfigDocument
{
    [JsonPropertyName("dist")]
    public CachedDistDocument Dist { get; set; } = new();
}
