namespace SharpCache.Config.Parsing;

/// <summary>One key of a table: where the key was written, and its value.</summary>
internal sealed record ConfigEntry(ConfigNode Value, int KeyLine, int KeyColumn);
