namespace SharpCache.Config.Parsing;

/// <summary>
/// A value of a parsed configuration document, format-neutral (TOML and JSON both read into it) and
/// carrying the 1-based position of its first character (0 when unknown) for error messages.
/// </summary>
internal abstract class ConfigNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>What the value is, in the words an error message uses ("a string", "a table").</summary>
    public abstract string Describe();
}
