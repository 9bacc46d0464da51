namespace SharpCache.Config.Parsing;

/// <summary>An array (TOML array or array of tables, JSON array).</summary>
internal sealed class ConfigArray(int line, int column) : ConfigNode(line, column)
{
    public List<ConfigNode> Items { get; } = [];

    public override string Describe() => "an array";
}
