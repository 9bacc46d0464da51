using System.Globalization;

namespace SharpCache.Config.Parsing;

/// <summary>Typed reads of <c>SCCACHE_*</c> variables with sccache's rules; a bad value is reported and read as unset.</summary>
internal sealed class EnvReader(Func<string, string?> env, ErrorSink errors)
{
    public ErrorSink Errors { get; } = errors;

    /// <summary>The value, or null when unset or empty (sccache treats empty as unset).</summary>
    public string? String(string name) => env(name) is { Length: > 0 } s ? s : null;

    public bool IsSet(string name) => env(name) is not null;

    /// <summary>A key prefix: trailing <c>/</c> trimmed; empty when unset.</summary>
    public string KeyPrefix(string name) => String(name)?.TrimEnd('/') ?? string.Empty;

    /// <summary><c>true/on/1</c> or <c>false/off/0</c>, any case (sccache's words), and <c>yes</c>/<c>no</c> (SharpCache accepted them before it read sccache's config).</summary>
    public bool? Bool(string name)
    {
        var value = String(name);
        switch (value?.ToLowerInvariant())
        {
            case null: return null;
            case "true" or "on" or "1" or "yes": return true;
            case "false" or "off" or "0" or "no": return false;
            default:
                Errors.Add(name, $"'{value}' is not a boolean; use true, on, 1, false, off or 0");
                return null;
        }
    }

    /// <summary><c>READ_ONLY</c> or <c>READ_WRITE</c> (any case); anything else is ignored with a warning, as in sccache.</summary>
    public CacheRwMode? RwMode(string name)
    {
        var value = String(name);
        switch (value?.ToUpperInvariant())
        {
            case null: return null;
            case "READ_ONLY": return CacheRwMode.ReadOnly;
            case "READ_WRITE": return CacheRwMode.ReadWrite;
            default:
                Errors.Warn(name, $"'{value}' ignored; must be READ_ONLY or READ_WRITE");
                return null;
        }
    }

    public ulong? UInt(string name, ulong max = ulong.MaxValue)
    {
        var value = String(name);
        if (value is null)
        {
            return null;
        }

        if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max)
        {
            return n;
        }

        Errors.Add(name, string.Create(CultureInfo.InvariantCulture, $"'{value}' is not an integer between 0 and {max}"));
        return null;
    }
}
