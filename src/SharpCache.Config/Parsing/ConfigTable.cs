namespace SharpCache.Config.Parsing;

/// <summary>A table (TOML table or inline table, JSON object); keys keep their order and position.</summary>
internal sealed class ConfigTable(int line, int column) : ConfigNode(line, column)
{
    public Dictionary<string, ConfigEntry> Entries { get; } = new(StringComparer.Ordinal);

    public List<string> Order { get; } = [];

    public void Add(string key, ConfigEntry entry)
    {
        Entries.Add(key, entry);
        Order.Add(key);
    }

    public override string Describe() => "a table";
}
