namespace SharpCache.Config.Parsing;

/// <summary>
/// Builds a <see cref="ConfigTable"/> from start/key/value/end events. A key given twice is an error
/// (the second value is dropped); a table or array of tables that is reopened merges into the first.
/// </summary>
internal sealed class TreeBuilder(ErrorSink errors)
{
    private readonly Stack<ConfigNode> _stack = new();
    // Paths are only spelled out for an error message; building them eagerly formats an index per array item.
    private readonly Stack<KeyPath?> _paths = new();
    private KeyPath? _lastPath;
    private string? _key;
    private int _keyLine;
    private int _keyColumn;

    public ConfigTable? Root { get; private set; }

    public void Key(string key, int line, int column)
    {
        _key = key;
        _keyLine = line;
        _keyColumn = column;
    }

    public void StartTable(int line, int column)
    {
        if (_stack.Count == 0)
        {
            Root = new ConfigTable(1, 1);
            _stack.Push(Root);
            _paths.Push(null);
            return;
        }

        _stack.Push(Attach(new ConfigTable(line > 0 ? line : _keyLine, line > 0 ? column : _keyColumn)));
        _paths.Push(_lastPath);
    }

    public void StartArray(int line, int column)
    {
        _stack.Push(Attach(new ConfigArray(line > 0 ? line : _keyLine, line > 0 ? column : _keyColumn)));
        _paths.Push(_lastPath);
    }

    public void End()
    {
        if (_stack.Count > 0)
        {
            _stack.Pop();
            _paths.Pop();
        }
    }

    /// <summary>Drops the pending key (a JSON <c>null</c>: the key counts as absent).</summary>
    public void SkipValue() => _key = null;

    public void Scalar(object value, int line, int column) => Attach(new ConfigScalar(value, line, column));

    private ConfigNode Attach(ConfigNode node)
    {
        if (_stack.Count == 0)
        {
            return node;
        }

        switch (_stack.Peek())
        {
            case ConfigArray array:
                _lastPath = new KeyPath(_paths.Peek(), null, array.Items.Count);
                array.Items.Add(node);
                return node;
            case ConfigTable table when _key is not null:
                var key = _key;
                _key = null;
                _lastPath = new KeyPath(_paths.Peek(), key, 0);
                if (!table.Entries.TryGetValue(key, out var existing))
                {
                    table.Add(key, new ConfigEntry(node, _keyLine, _keyColumn));
                    return node;
                }

                if (existing.Value is ConfigTable && node is ConfigTable || existing.Value is ConfigArray && node is ConfigArray)
                {
                    return existing.Value;
                }

                errors.Add(_lastPath.ToString(), "defined more than once", _keyLine, _keyColumn);
                return node;
            default:
                return node;
        }
    }
}
