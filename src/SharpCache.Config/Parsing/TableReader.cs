using System.Globalization;

namespace SharpCache.Config.Parsing;

/// <summary>
/// Typed, checked access to one table of a config document. Every getter reports a wrong type or value as a
/// <see cref="ConfigError"/> at the key's position and returns null; <see cref="RejectUnknown"/> reports every
/// key no getter asked for (sccache's <c>deny_unknown_fields</c>).
/// </summary>
internal sealed class TableReader(ConfigTable table, string path, ErrorSink errors)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public string Path { get; } = path;

    public ErrorSink Errors { get; } = errors;

    public int Line => table.Line;

    public int Column => table.Column;

    public string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key)
    {
        _known.Add(key);
        return table.Entries.ContainsKey(key);
    }

    public void Error(string key, string message)
    {
        if (table.Entries.TryGetValue(key, out var entry))
        {
            Errors.Add(KeyPath(key), message, entry.Value.Line, entry.Value.Column);
        }
        else
        {
            Errors.Add(KeyPath(key), message, Line, Column);
        }
    }

    /// <summary>Reports a required key that is absent, at the table's position.</summary>
    public void Missing(string key) => Errors.Add(KeyPath(key), "missing required key", Line, Column);

    public string? String(string key, bool required = false)
    {
        var node = Get(key, required);
        return node switch
        {
            null => null,
            ConfigScalar { Value: string s } => s,
            _ => WrongType<string>(key, node, "a string"),
        };
    }

    /// <summary>A path made absolute (<c>~/</c> = <paramref name="home"/>); empty or with a NUL character is an error.</summary>
    public string? FullPath(string key, string home)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (text.Length == 0 || text.Contains('\0', StringComparison.Ordinal))
        {
            Error(key, "not a valid path");
            return null;
        }

        return ConfigPaths.Absolute(text, home);
    }

    public bool? Bool(string key, bool required = false)
    {
        var node = Get(key, required);
        return node switch
        {
            null => null,
            ConfigScalar { Value: bool b } => b,
            _ => WrongType<bool?>(key, node, "a boolean (true or false)"),
        };
    }

    /// <summary>A non-negative integer no larger than <paramref name="max"/>.</summary>
    public ulong? UInt(string key, ulong max = ulong.MaxValue, bool required = false)
    {
        var node = Get(key, required);
        switch (node)
        {
            case null:
                return null;
            case ConfigScalar { Value: long l } when l >= 0 && (ulong)l <= max:
                return (ulong)l;
            case ConfigScalar { Value: long }:
                Error(key, string.Create(CultureInfo.InvariantCulture, $"must be between 0 and {max}"));
                return null;
            default:
                return WrongType<ulong?>(key, node, "a non-negative integer");
        }
    }

    /// <summary>A size: an integer of bytes, or a string with a K/M/G/T suffix (powers of 1024), like sccache.</summary>
    public long? Size(string key)
    {
        var node = Get(key, false);
        switch (node)
        {
            case null:
                return null;
            case ConfigScalar { Value: long l } when l >= 0:
                return l;
            case ConfigScalar { Value: long }:
                Error(key, "negative values not supported");
                return null;
            case ConfigScalar { Value: string s } when SizeValue.TryParse(s, out var bytes):
                return bytes;
            case ConfigScalar { Value: string s }:
                Error(key, $"invalid size value '{s}' (an integer with an optional K, M, G or T suffix, like \"20G\")");
                return null;
            default:
                return WrongType<long?>(key, node, "a size (an integer, or a string like \"20G\")");
        }
    }

    public CacheRwMode? RwMode(string key, bool required = false)
    {
        var text = String(key, required);
        switch (text)
        {
            case null: return null;
            case "READ_ONLY": return CacheRwMode.ReadOnly;
            case "READ_WRITE": return CacheRwMode.ReadWrite;
            default:
                Error(key, $"unknown value '{text}'; expected READ_ONLY or READ_WRITE");
                return null;
        }
    }

    public List<string>? StringList(string key)
    {
        var node = Get(key, false);
        if (node is null)
        {
            return null;
        }

        if (node is not ConfigArray array)
        {
            return WrongType<List<string>>(key, node, "an array of strings");
        }

        var result = new List<string>(array.Items.Count);
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (array.Items[i] is ConfigScalar { Value: string s })
            {
                result.Add(s);
            }
            else
            {
                Errors.Add($"{KeyPath(key)}[{i}]", $"expected a string, found {array.Items[i].Describe()}", array.Items[i].Line, array.Items[i].Column);
            }
        }

        return result;
    }

    /// <summary>A sub-table (a <c>[a.b]</c> header or an inline table), or null when absent or of another type.</summary>
    public TableReader? Table(string key, bool required = false)
    {
        var node = Get(key, required);
        return node switch
        {
            null => null,
            ConfigTable t => new TableReader(t, KeyPath(key), Errors),
            _ => WrongType<TableReader>(key, node, "a table"),
        };
    }

    /// <summary>A map of string to string (an inline table or sub-table whose values are all strings).</summary>
    public Dictionary<string, string>? StringMap(string key)
    {
        var node = Get(key, false);
        if (node is null)
        {
            return null;
        }

        if (node is not ConfigTable t)
        {
            return WrongType<Dictionary<string, string>>(key, node, "a table of strings");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in t.Order)
        {
            var entry = t.Entries[name];
            if (entry.Value is ConfigScalar { Value: string s })
            {
                result[name] = s;
            }
            else
            {
                Errors.Add($"{KeyPath(key)}.{name}", $"expected a string, found {entry.Value.Describe()}", entry.Value.Line, entry.Value.Column);
            }
        }

        return result;
    }

    /// <summary>An array of tables (<c>[[a.b]]</c> or an array of inline tables).</summary>
    public List<TableReader>? TableArray(string key)
    {
        var node = Get(key, false);
        if (node is null)
        {
            return null;
        }

        if (node is not ConfigArray array)
        {
            return WrongType<List<TableReader>>(key, node, "an array of tables");
        }

        var result = new List<TableReader>(array.Items.Count);
        for (var i = 0; i < array.Items.Count; i++)
        {
            var itemPath = KeyPath(key) + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (array.Items[i] is ConfigTable t)
            {
                result.Add(new TableReader(t, itemPath, Errors));
            }
            else
            {
                Errors.Add(itemPath, "expected a table, found " + array.Items[i].Describe(), array.Items[i].Line, array.Items[i].Column);
            }
        }

        return result;
    }

    /// <summary>Marks every key as known (after an error that makes the others impossible to judge).</summary>
    public void AcceptRest() => _known.UnionWith(table.Order);

    /// <summary>Reports every key of the table that no getter asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var key in table.Order)
        {
            if (!_known.Contains(key))
            {
                var entry = table.Entries[key];
                var expected = _known.Count == 0 ? "this table takes no keys" : "expected one of: " + string.Join(", ", _known);
                Errors.Add(KeyPath(key), $"unknown key; {expected}", entry.KeyLine, entry.KeyColumn);
            }
        }
    }

    private ConfigNode? Get(string key, bool required)
    {
        _known.Add(key);
        if (table.Entries.TryGetValue(key, out var entry))
        {
            return entry.Value;
        }

        if (required)
        {
            Missing(key);
        }

        return null;
    }

    private T? WrongType<T>(string key, ConfigNode node, string expected)
    {
        Errors.Add(KeyPath(key), $"expected {expected}, found {node.Describe()}", node.Line, node.Column);
        return default;
    }
}
