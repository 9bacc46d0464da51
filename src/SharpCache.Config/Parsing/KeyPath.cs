using System.Globalization;

namespace SharpCache.Config.Parsing;

/// <summary>A dotted key path (<c>dist.toolchains[1].type</c>) kept as links and spelled out only when printed.</summary>
internal sealed class KeyPath(KeyPath? parent, string? key, int index)
{
    public override string ToString()
    {
        var prefix = parent?.ToString() ?? string.Empty;
        return key is null
            ? prefix + "[" + index.ToString(CultureInfo.InvariantCulture) + "]"
            : prefix.Length == 0 ? key : prefix + "." + key;
    }
}
