using System.Globalization;
using System.Net;
using Tomlyn.Model;

namespace SharpCache.Dist.Config;

/// <summary>
/// Strict reader over one TOML table: each key read is marked as known, and
/// <see cref="RejectUnknownKeys"/> turns every remaining key into a <see cref="ConfigException"/>
/// naming the file and the dotted key. Types are checked on read.
/// </summary>
internal sealed class TomlSection
{
    private readonly TomlTable _table;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public TomlSection(string file, string prefix, TomlTable table)
    {
        File = file;
        Prefix = prefix;
        _table = table;
    }

    public string File { get; }

    public string Prefix { get; }

    public string KeyPath(string key) => Prefix.Length == 0 ? key : $"{Prefix}.{key}";

    public ConfigException Error(string key, string reason) => new(File, KeyPath(key), reason);

    public bool Has(string key) => _table.ContainsKey(key);

    public string? OptionalString(string key)
    {
        _known.Add(key);
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        return value as string ?? throw Error(key, $"expected a string, found {Describe(value)}");
    }

    public string RequiredString(string key)
        => OptionalString(key) ?? throw Error(key, "is required");

    public long? OptionalInteger(string key, long min, long max)
    {
        _known.Add(key);
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is not long number)
        {
            throw Error(key, $"expected an integer, found {Describe(value)}");
        }

        if (number < min || number > max)
        {
            throw Error(key, $"{number} is out of range [{min}, {max}]");
        }

        return number;
    }

    /// <summary>Reads a duration in seconds; fractions are allowed (tests use sub-second heartbeats).</summary>
    public TimeSpan? OptionalSeconds(string key, double min, double max)
    {
        _known.Add(key);
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        var seconds = value switch
        {
            long l => (double)l,
            double d => d,
            _ => throw Error(key, $"expected a number of seconds, found {Describe(value)}"),
        };
        if (!(seconds >= min && seconds <= max))
        {
            throw Error(key, $"{seconds.ToString(CultureInfo.InvariantCulture)} s is out of range [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    public bool? OptionalBool(string key)
    {
        _known.Add(key);
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        return value as bool? ?? throw Error(key, $"expected true or false, found {Describe(value)}");
    }

    public TomlSection? OptionalTable(string key)
    {
        _known.Add(key);
        if (!_table.TryGetValue(key, out var value))
        {
            return null;
        }

        return value is TomlTable table
            ? new TomlSection(File, KeyPath(key), table)
            : throw Error(key, $"expected a table, found {Describe(value)}");
    }

    public TomlSection RequiredTable(string key)
        => OptionalTable(key) ?? throw Error(key, "is required");

    /// <summary>Reads an <c>ip:port</c> socket address (sccache's <c>SocketAddr</c>).</summary>
    public IPEndPoint? OptionalEndPoint(string key, int? defaultPort = null)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        if (IPEndPoint.TryParse(text, out var endPoint) && (endPoint.Port != 0 || text.EndsWith(":0", StringComparison.Ordinal)))
        {
            return endPoint;
        }

        if (defaultPort is { } port && IPAddress.TryParse(text, out var address))
        {
            return new IPEndPoint(address, port);
        }

        throw Error(key, $"'{text}' is not an ip:port socket address");
    }

    public Uri? OptionalHttpUrl(string key)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        throw Error(key, $"'{text}' is not an http(s) URL");
    }

    public void RejectUnknownKeys()
    {
        foreach (var key in _table.Keys)
        {
            if (!_known.Contains(key))
            {
                throw Error(key, "unknown key");
            }
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => $"the string \"{s}\"",
        long l => $"the integer {l.ToString(CultureInfo.InvariantCulture)}",
        double d => $"the number {d.ToString(CultureInfo.InvariantCulture)}",
        bool b => b ? "true" : "false",
        TomlTable => "a table",
        TomlArray => "an array",
        _ => value.GetType().Name,
    };
}
